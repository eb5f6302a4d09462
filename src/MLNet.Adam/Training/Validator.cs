using Microsoft.ML;
using MLNet.Adam.Data;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Sums loss and accuracy over the validation rows (separate data or the held-out part). Rows packed by the first
/// pass are evaluated from memory; otherwise the first evaluation streams them and packs them when they fit the
/// memory budget, so later evaluations need no cursor.
/// </summary>
internal sealed class Validator
{
    private readonly IDataView? _data;
    private readonly TrainingColumns? _columns;
    private readonly HoldoutSplit? _split;
    private readonly RowSelection _selection;
    private readonly ShardedGradient _kernels;
    private readonly MiniBatch _batch;
    private readonly long _budget;
    private PackedRows? _packed;

    private readonly int[]? _rows;

    /// <summary>Evaluates rows already packed in memory (<paramref name="rows"/>: a subset of them; null: all).</summary>
    public Validator(PackedRows packed, RowCounts? counts, ShardedGradient kernels, int batchSize, bool sparse, int[]? rows = null)
    {
        _packed = packed;
        _rows = rows;
        Counts = counts;
        _kernels = kernels;
        _batch = new MiniBatch(packed.FeatureCount, batchSize, sparse);
    }

    /// <summary>Evaluates rows of a data view, packing them on the first pass when they fit <paramref name="budgetBytes"/>.</summary>
    public Validator(IDataView data, TrainingColumns columns, HoldoutSplit? split, RowSelection selection, ShardedGradient kernels, int batchSize, bool sparse, long budgetBytes)
    {
        _data = data;
        _columns = columns;
        _split = split;
        _selection = selection;
        _kernels = kernels;
        _batch = new MiniBatch(columns.FeatureCount, batchSize, sparse);
        _budget = budgetBytes;
    }

    /// <summary>Row counts of the validation rows.</summary>
    public RowCounts? Counts { get; private set; }

    public LossSummary Evaluate(float[] parameters, CancellationToken token)
    {
        double loss = 0, weight = 0, correct = 0;
        void Add(LossSummary s)
        {
            loss += s.WeightedLoss;
            weight += s.TotalWeight;
            correct += s.CorrectWeight;
        }

        if (_packed is { } packed)
        {
            int count = _rows?.Length ?? packed.Count;
            for (int start = 0; start < count; start += _batch.Capacity)
            {
                token.ThrowIfCancellationRequested();
                _batch.Clear();
                int n = Math.Min(_batch.Capacity, count - start);
                if (_rows is null)
                {
                    packed.CopyRange(start, n, _batch);
                }
                else
                {
                    packed.CopyTo(_rows.AsSpan(start, n), _batch);
                }

                Add(_kernels.Loss(_batch, parameters));
            }
        }
        else
        {
            var packing = _budget > 0 ? new PackedRows(_columns!.FeatureCount, _batch.IsSparse, _data!.GetRowCount() ?? 0) : null;
            using var stream = new RowStream(_data!, _columns!, null, _split, _selection, classWeights: null);
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

                Add(_kernels.Loss(_batch, parameters));
            }

            Counts = stream.Counts;
            if (packing is not null)
            {
                packing.TrimExcess();
                _packed = packing;
            }
        }

        if (weight == 0)
        {
            throw new InvalidOperationException($"The validation data has no usable rows: {Counts}.");
        }

        return new LossSummary(loss, weight, correct);
    }
}
