using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Where the training loop pulls its mini-batches from: one pass (epoch) at a time, each batch valid until the next
/// call. Implementations: <see cref="PackedBatchSource"/> (rows packed in memory) and the cursor source of the ML.NET
/// layer (rows streamed from an <c>IDataView</c>).
/// </summary>
internal interface IBatchSource : IDisposable
{
    /// <summary>Starts pass number <paramref name="epoch"/> (1-based); the row order is a function of the seed and the epoch.</summary>
    void BeginEpoch(int epoch);

    /// <summary>The next mini-batch of the pass, or null at its end.</summary>
    MiniBatch? Next();

    /// <summary>Ends the current pass early (the loop stopped within it); releases what the pass holds.</summary>
    void EndEpoch();
}

/// <summary>Deterministic per-epoch seeds: the same seed must give the same model in every process.</summary>
internal static class EpochSeeds
{
    /// <summary>
    /// The shuffling seed of an epoch. Not <see cref="HashCode"/>, whose values change from process to process.
    /// </summary>
    public static int For(int seed, int epoch)
    {
        ulong z = ((ulong)(uint)seed << 32) | (uint)epoch;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}
