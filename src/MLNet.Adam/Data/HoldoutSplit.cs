using Microsoft.ML.Data;

namespace MLNet.Adam.Data;

/// <summary>
/// Deterministic assignment of rows to a validation hold-out by hashing each row's stable id
/// (<see cref="DataViewRowId"/>, which does not change when rows are shuffled) with a seed. Nothing is materialized.
/// </summary>
internal sealed class HoldoutSplit
{
    private readonly ulong _threshold;
    private readonly ulong _seed;

    /// <summary>Creates a split holding out about <paramref name="fraction"/> of the rows.</summary>
    public HoldoutSplit(double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be in (0, 1).");
        }

        Fraction = fraction;
        _threshold = (ulong)(fraction * ulong.MaxValue);
        _seed = (ulong)seed * 0x9E3779B97F4A7C15UL;
    }

    /// <summary>The fraction of rows held out.</summary>
    public double Fraction { get; }

    /// <summary>True when the row belongs to the validation part.</summary>
    public bool IsValidation(in DataViewRowId id) => Mix(id.Low ^ Mix(id.High ^ _seed)) < _threshold;

    // SplitMix64 finalizer: a well-mixed 64-bit hash, so consecutive row ids spread uniformly.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
