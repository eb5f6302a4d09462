using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>Sums loss and accuracy over rows packed in memory (all of them, or a subset given by index), batch by batch on the calling thread.</summary>
internal sealed class PackedEvaluator : IRowEvaluator
{
    /// <summary>Rows per evaluation batch at least (larger batches amortize the kernel's per-call work).</summary>
    public const int MinimumBatchRows = 1024;

    private readonly PackedRows _rows;
    private readonly int[]? _subset;
    private readonly ShardedGradient _kernels;
    private readonly MiniBatch _batch;

    public PackedEvaluator(PackedRows rows, ShardedGradient kernels, int batchSize, bool sparse, int[]? subset = null)
    {
        _rows = rows;
        _subset = subset;
        _kernels = kernels;
        _batch = new MiniBatch(rows.FeatureCount, Math.Max(batchSize, MinimumBatchRows), sparse);
    }

    /// <inheritdoc/>
    public LossSummary Evaluate(float[] rawParameters, CancellationToken token)
    {
        double loss = 0, weight = 0, correct = 0;
        int count = _subset?.Length ?? _rows.Count;
        for (int start = 0; start < count; start += _batch.Capacity)
        {
            token.ThrowIfCancellationRequested();
            _batch.Clear();
            int n = Math.Min(_batch.Capacity, count - start);
            if (_subset is null)
            {
                _rows.CopyRange(start, n, _batch);
            }
            else
            {
                _rows.CopyTo(_subset.AsSpan(start, n), _batch);
            }

            var s = _kernels.Loss(_batch, rawParameters);
            loss += s.WeightedLoss;
            weight += s.TotalWeight;
            correct += s.CorrectWeight;
        }

        return new LossSummary(loss, weight, correct);
    }
}
