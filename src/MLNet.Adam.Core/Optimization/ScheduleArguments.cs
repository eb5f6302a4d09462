using System.Globalization;

namespace MLNet.Adam.Optimization;

/// <summary>Constructor checks shared by the schedules: each names the parameter and the offending value.</summary>
internal static class ScheduleArguments
{
    public static void Positive(string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw OutOfRange(name, value, "must be positive and finite");
        }
    }

    public static void NonNegative(string name, double value)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw OutOfRange(name, value, "must be non-negative and finite");
        }
    }

    /// <summary>A decay multiplier: in (0, 1].</summary>
    public static void DecayFactor(string name, double value)
    {
        if (!(value > 0 && value <= 1))
        {
            throw OutOfRange(name, value, "must be in (0, 1]");
        }
    }

    public static void AtMost(string name, double value, string limitName, double limit)
    {
        if (!(value >= 0 && value <= limit))
        {
            throw OutOfRange(name, value, string.Create(CultureInfo.InvariantCulture, $"must be in [0, {limitName} = {limit:R}]"));
        }
    }

    public static ArgumentOutOfRangeException OutOfRange(string name, double value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} {rule}; got {value:R}."));
}
