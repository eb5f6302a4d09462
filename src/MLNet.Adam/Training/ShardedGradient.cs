using System.Numerics.Tensors;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Splits each mini-batch into one contiguous shard per thread, computes each shard's summed loss and gradient with
/// its own kernel instance, and adds the shard gradients in shard order. The split and the order depend only on the
/// batch size and the thread count, so a given seed and thread count give bit-identical results.
/// </summary>
internal sealed class ShardedGradient
{
    // Below this many rows per shard the fork/join cost outweighs the work.
    private const int MinimumRowsPerShard = 32;

    private readonly IGradientKernel[] _kernels;
    private readonly float[][] _shardGradients;
    private readonly double[] _shardLosses;

    public ShardedGradient(Func<IGradientKernel> createKernel, int parameterCount, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        _kernels = new IGradientKernel[threads];
        _shardGradients = new float[threads][];
        _shardLosses = new double[threads];
        for (int t = 0; t < threads; t++)
        {
            _kernels[t] = createKernel();
            _shardGradients[t] = t == 0 ? Array.Empty<float>() : new float[parameterCount];
        }
    }

    /// <summary>Name of the kernel in use.</summary>
    public string KernelName => _kernels[0].Name;

    /// <summary>Number of threads.</summary>
    public int Threads => _kernels.Length;

    /// <summary>
    /// Overwrites <paramref name="gradient"/> with the summed weighted gradient of the batch and returns the summed
    /// weighted loss.
    /// </summary>
    public double Compute(MiniBatch batch, float[] parameters, float[] gradient)
    {
        int shards = Math.Clamp(batch.Count / MinimumRowsPerShard, 1, _kernels.Length);
        if (shards == 1)
        {
            return _kernels[0].LossAndGradient(batch, 0, batch.Count, parameters, gradient);
        }

        int baseSize = batch.Count / shards;
        int remainder = batch.Count % shards;
        Parallel.For(0, shards, new ParallelOptions { MaxDegreeOfParallelism = shards }, s =>
        {
            int start = (s * baseSize) + Math.Min(s, remainder);
            int count = baseSize + (s < remainder ? 1 : 0);
            var target = s == 0 ? gradient : _shardGradients[s];
            _shardLosses[s] = _kernels[s].LossAndGradient(batch, start, count, parameters, target);
        });

        double loss = _shardLosses[0];
        for (int s = 1; s < shards; s++)
        {
            TensorPrimitives.Add(gradient, _shardGradients[s], gradient);
            loss += _shardLosses[s];
        }

        return loss;
    }

    /// <summary>Loss summary of a batch (no gradient), on the calling thread.</summary>
    public LossSummary Loss(MiniBatch batch, float[] parameters) => _kernels[0].Loss(batch, 0, batch.Count, parameters);
}
