using System.Globalization;

namespace MLNet.Adam.Compare.Trainers;

/// <summary>Hyperparameters of one trainer configuration; names absent from <see cref="Values"/> keep the trainer's defaults.</summary>
internal sealed record TrainerConfig(IReadOnlyDictionary<string, double> Values)
{
    public const string LearningRate = "learning-rate";
    public const string L2 = "l2";

    public static TrainerConfig Defaults { get; } = new(new Dictionary<string, double>());

    public static TrainerConfig Of(params (string Name, double Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value));

    public float? Get(string name) => Values.TryGetValue(name, out var value) ? (float)value : null;

    /// <summary>"defaults", or "learning-rate=0.01, l2=1".</summary>
    public string Describe() => Values.Count == 0
        ? "defaults"
        : string.Join(", ", Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
