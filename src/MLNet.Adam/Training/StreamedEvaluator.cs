using Microsoft.ML;
using MLNet.Adam.Data;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Sums loss and accuracy over validation rows read from a data view (separate validation data, or the held-out part
/// of streamed training data). The first evaluation streams them and packs them when they fit the memory budget, so
/// later evaluations read them from memory (<see cref="PackedEvaluator"/>).
/// </summary>
internal sealed class StreamedEvaluator : IRowEvaluator
{
    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private readonly HoldoutSplit? _split;
    private readonly RowSelection _selection;
    private readonly ShardedGradient _kernels;
    private readonly MiniBatch _batch;
    private readonly long _budget;
    private PackedEvaluator? _packed;

    public StreamedEvaluator(IDataView data, TrainingColumns columns, HoldoutSplit? split, RowSelection selection, ShardedGradient kernels, int batchSize, bool sparse, long budgetBytes)
    {
        _data = data;
        _columns = columns;
        _split = split;
        _selection = selection;
        _kernels = kernels;
        _batch = new MiniBatch(columns.FeatureCount, batchSize, sparse);
        _budget = budgetBytes;
    }

    /// <summary>Row counts of the validation rows, known after the first evaluation.</summary>
    public RowCounts? Counts { get; private set; }

    /// <inheritdoc/>
    public LossSummary Evaluate(float[] rawParameters, CancellationToken token)
    {
        if (_packed is not null)
        {
            return _packed.Evaluate(rawParameters, token);
        }

        double loss = 0, weight = 0, correct = 0;
        var packing = _budget > 0 ? new PackedRows(_columns.FeatureCount, _batch.IsSparse, _data.GetRowCount() ?? 0) : null;
        using (var stream = new RowStream(_data, _columns, null, _split, _selection, classWeights: null))
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                _batch.Clear();
                while (!_batch.IsFull && stream.TryRead(out int label, out float w))
                {
                    ref readonly var row = ref stream.CurrentFeatures;
                    if (row.IsDense)
                    {
                        _batch.AddDense(row.GetValues(), label, w);
                        packing?.AddDense(row.GetValues(), label, w);
                    }
                    else
                    {
                        _batch.AddSparse(row.GetIndices(), row.GetValues(), label, w);
                        packing?.AddSparse(row.GetIndices(), row.GetValues(), label, w);
                    }

                    if (packing is not null && packing.Bytes > _budget)
                    {
                        packing = null;
                    }
                }

                if (_batch.Count == 0)
                {
                    break;
                }

                var s = _kernels.Loss(_batch, rawParameters);
                loss += s.WeightedLoss;
                weight += s.TotalWeight;
                correct += s.CorrectWeight;
            }

            Counts = stream.Counts;
        }

        if (weight == 0)
        {
            throw new InvalidOperationException($"The validation data has no usable rows: {Counts}.");
        }

        if (packing is not null)
        {
            packing.TrimExcess();
            _packed = new PackedEvaluator(packing, _kernels, _batch.Capacity, _batch.IsSparse);
        }

        return new LossSummary(loss, weight, correct);
    }
}
