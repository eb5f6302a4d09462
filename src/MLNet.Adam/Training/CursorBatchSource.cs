using Microsoft.ML;
using MLNet.Adam.Data;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Mini-batches streamed from an <see cref="IDataView"/>, one cursor per epoch, with bounded memory: used when the
/// training rows do not fit the memory budget. Views that shuffle themselves are asked for a shuffled cursor seeded
/// by the seed and the epoch; others go through a <see cref="PoolShuffler"/>. With read-ahead the next batch is read
/// on a second thread while the caller computes on the current one. Every cursor is disposed when its epoch ends,
/// also when the loop stops early, is cancelled or fails.
/// </summary>
internal sealed class CursorBatchSource : IBatchSource
{
    private const int PoolSize = 1024;

    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private readonly HoldoutSplit? _split;
    private readonly RowSelection _selection;
    private readonly float[] _classWeights;
    private readonly bool _shuffle;
    private readonly int _seed;
    private readonly bool _readAhead;
    private readonly MiniBatch _batch;
    private readonly MiniBatch _spare;
    private RowStream? _stream;
    private BatchPipeline? _pipeline;

    public CursorBatchSource(
        IDataView data, TrainingColumns columns, HoldoutSplit? split, RowSelection selection, float[] classWeights,
        int batchSize, bool sparseBatches, bool shuffle, int seed, bool readAhead)
    {
        _data = data;
        _columns = columns;
        _split = split;
        _selection = selection;
        _classWeights = classWeights;
        _shuffle = shuffle;
        _seed = seed;
        _readAhead = readAhead;
        _batch = new MiniBatch(columns.FeatureCount, batchSize, sparseBatches);
        _spare = readAhead ? new MiniBatch(columns.FeatureCount, batchSize, sparseBatches) : _batch;
    }

    /// <summary>Row counts of the last pass that ran to its end.</summary>
    public RowCounts? Counts { get; private set; }

    /// <summary>Row counts of the last pass, complete or not (a run may stop within a pass).</summary>
    public RowCounts? LastCounts { get; private set; }

    /// <inheritdoc/>
    public void BeginEpoch(int epoch)
    {
        EndEpoch();
        int seed = EpochSeeds.For(_seed, epoch);
        bool own = _shuffle && !_data.CanShuffle;
        _stream = new RowStream(_data, _columns, _shuffle && _data.CanShuffle ? new Random(seed) : null, _split, _selection, _classWeights);
        Func<MiniBatch, bool> fill = own ? new PoolShuffler(_stream, PoolSize, seed).Fill : _stream.Fill;
        _pipeline = new BatchPipeline(fill, _batch, _spare, _readAhead);
    }

    /// <inheritdoc/>
    public MiniBatch? Next()
    {
        var next = _pipeline?.Next();
        if (next is null && _stream is not null)
        {
            Counts = _stream.Counts;
            EndEpoch();
        }

        return next;
    }

    /// <inheritdoc/>
    public void EndEpoch()
    {
        var pipeline = _pipeline;
        var stream = _stream;
        _pipeline = null;
        _stream = null;
        LastCounts = stream?.Counts ?? LastCounts;
        try
        {
            pipeline?.Dispose();
        }
        finally
        {
            stream?.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => EndEpoch();
}
