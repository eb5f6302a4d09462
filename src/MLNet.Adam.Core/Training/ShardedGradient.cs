using System.Numerics.Tensors;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Splits a mini-batch into contiguous shards, one per thread, only when the batch carries enough work to pay for
/// the fork and join (<see cref="MinimumWorkPerShard"/> multiply-adds per shard); computes each shard's summed loss
/// and gradient with its own kernel instance and adds the shard gradients in shard order. The split and the order
/// depend only on the batch, the model shape and the thread count, so a given seed and thread count give
/// bit-identical results. Kernels and buffers of extra shards are created on first use, so a large thread count
/// costs nothing until batches are large enough to use it.
/// </summary>
internal sealed class ShardedGradient
{
    /// <summary>
    /// Multiply-adds (stored values x outputs) per shard below which a batch is not split. Measured by the crossover
    /// lines of <c>dotnet run -c Release --project tests/MLNet.Adam.Benchmarks -- quick training</c> (1 thread against
    /// 2 forced shards, dense batches of 256 rows, 2-core machine, load average 13-17): speedup 0.44 at 1.3e4, 0.98 at
    /// 2.0e5, 0.87 at 2.0e6 and 1.07 at 5.1e6 multiply-adds per batch; so a batch is split only from about 4e6.
    /// </summary>
    public const double MinimumWorkPerShard = 1 << 21;

    // Below this many rows per shard the split is not worth it whatever the row width.
    private const int MinimumRowsPerShard = 32;

    private readonly Func<IGradientKernel> _createKernel;
    private readonly int _parameterCount;
    private readonly int _outputs;
    private readonly IGradientKernel?[] _kernels;
    private readonly float[]?[] _shardGradients;
    private readonly double[] _shardLosses;

    public ShardedGradient(Func<IGradientKernel> createKernel, ModelShape shape, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        _createKernel = createKernel;
        _parameterCount = shape.ParameterCount;
        _outputs = shape.OutputCount;

        // A batch never has more shards than it has groups of MinimumRowsPerShard rows; the arrays are sized lazily.
        int slots = Math.Min(threads, 64);
        _kernels = new IGradientKernel?[slots];
        _shardGradients = new float[]?[slots];
        _shardLosses = new double[slots];
        _kernels[0] = createKernel();
    }

    /// <summary>The work per shard below which a batch is not split (benchmarks set 0 to force splits).</summary>
    internal double WorkPerShard { get; init; } = MinimumWorkPerShard;

    /// <summary>Name of the kernel in use.</summary>
    public string KernelName => _kernels[0]!.Name;

    /// <summary>The largest number of shards a batch was split into so far.</summary>
    public int ThreadsUsed { get; private set; } = 1;

    /// <summary>Shards for a batch of <paramref name="rows"/> rows with <paramref name="storedValues"/> stored feature values in all.</summary>
    public int ShardsFor(int rows, long storedValues)
    {
        double work = (double)storedValues * _outputs;
        int byWork = WorkPerShard <= 0 ? _kernels.Length : (int)Math.Min(work / WorkPerShard, _kernels.Length);
        return Math.Clamp(Math.Min(byWork, rows / MinimumRowsPerShard), 1, _kernels.Length);
    }

    /// <summary>
    /// Overwrites <paramref name="gradient"/> with the summed weighted gradient of the batch times <paramref name="scale"/>
    /// and returns the summed weighted loss.
    /// </summary>
    public double Compute(MiniBatch batch, float[] parameters, float[] gradient, float scale = 1f)
    {
        long stored = batch.IsSparse ? batch.Indices.Length : (long)batch.Count * batch.FeatureCount;
        int shards = ShardsFor(batch.Count, stored);
        if (shards == 1)
        {
            return _kernels[0]!.LossAndGradient(batch, 0, batch.Count, parameters, gradient, scale);
        }

        for (int s = 1; s < shards; s++)
        {
            _kernels[s] ??= _createKernel();
            _shardGradients[s] ??= new float[_parameterCount];
        }

        ThreadsUsed = Math.Max(ThreadsUsed, shards);
        int baseSize = batch.Count / shards;
        int remainder = batch.Count % shards;
        Parallel.For(0, shards, new ParallelOptions { MaxDegreeOfParallelism = shards }, s =>
        {
            int start = (s * baseSize) + Math.Min(s, remainder);
            int count = baseSize + (s < remainder ? 1 : 0);
            var target = s == 0 ? gradient : _shardGradients[s]!;
            _shardLosses[s] = _kernels[s]!.LossAndGradient(batch, start, count, parameters, target, scale);
        });

        double loss = _shardLosses[0];
        for (int s = 1; s < shards; s++)
        {
            TensorPrimitives.Add(gradient, _shardGradients[s]!, gradient);
            loss += _shardLosses[s];
        }

        return loss;
    }

    /// <summary>Loss summary of a batch (no gradient), on the calling thread.</summary>
    public LossSummary Loss(MiniBatch batch, float[] parameters) => _kernels[0]!.Loss(batch, 0, batch.Count, parameters);
}
