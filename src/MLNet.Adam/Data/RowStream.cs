using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Kernels;
using MLNet.Adam.Training;

namespace MLNet.Adam.Data;

/// <summary>Which rows of a hold-out split a pass reads.</summary>
internal enum RowSelection
{
    /// <summary>Every row.</summary>
    All,

    /// <summary>Rows not held out.</summary>
    Training,

    /// <summary>Only held-out rows.</summary>
    Validation,

    /// <summary>
    /// Rows of both parts of a split in one pass: <see cref="RowStream.CurrentIsValidation"/> tells which part a row
    /// belongs to, and the held-out part's usable and skipped rows are counted in <see cref="RowStream.ValidationCounts"/>.
    /// </summary>
    Both,
}

/// <summary>
/// One pass over an <see cref="IDataView"/> through a row cursor, filling <see cref="MiniBatch"/>es. The only code
/// that touches cursors. Rows with a missing label, non-finite features or an invalid weight are skipped and
/// counted; buffers are reused, so reading does not allocate per row.
/// </summary>
internal sealed class RowStream : IDisposable
{
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly ValueGetter<bool>? _booleanLabel;
    private readonly ValueGetter<uint>? _keyLabel;
    private readonly ValueGetter<float>? _weight;
    private readonly ValueGetter<DataViewRowId>? _id;
    private readonly HoldoutSplit? _split;
    private readonly RowSelection _selection;
    private readonly float[]? _classWeights;
    private VBuffer<float> _row;

    /// <summary>Opens a cursor; <paramref name="random"/> non-null asks for shuffled order.</summary>
    public RowStream(IDataView data, TrainingColumns columns, Random? random, HoldoutSplit? split, RowSelection selection, float[]? classWeights)
    {
        _split = selection == RowSelection.All ? null : split;
        _selection = _split is null ? RowSelection.All : selection;
        _classWeights = classWeights;
        _cursor = data.GetRowCursor(columns.Active, random);
        _features = _cursor.GetGetter<VBuffer<float>>(columns.Features);
        if (columns.LabelKind == LabelKind.Boolean)
        {
            _booleanLabel = _cursor.GetGetter<bool>(columns.Label);
        }
        else
        {
            _keyLabel = _cursor.GetGetter<uint>(columns.Label);
        }

        if (columns.Weight is { } weight)
        {
            _weight = _cursor.GetGetter<float>(weight);
        }

        if (_split is not null)
        {
            _id = _cursor.GetIdGetter();
        }
    }

    /// <summary>Counts of this pass so far (of the training part, under <see cref="RowSelection.Both"/>).</summary>
    public RowCounts Counts { get; } = new();

    /// <summary>Counts of the held-out part under <see cref="RowSelection.Both"/>.</summary>
    public RowCounts ValidationCounts { get; } = new();

    /// <summary>Under <see cref="RowSelection.Both"/>, whether the row last returned is held out.</summary>
    public bool CurrentIsValidation { get; private set; }

    /// <summary>
    /// Appends rows to <paramref name="batch"/> until it is full or the data ends. Returns false when the data
    /// ended before any row was added.
    /// </summary>
    public bool Fill(MiniBatch batch)
    {
        int before = batch.Count;
        while (!batch.IsFull && TryRead(out int label, out float weight))
        {
            if (_row.IsDense)
            {
                batch.AddDense(_row.GetValues(), label, weight);
            }
            else
            {
                batch.AddSparse(_row.GetIndices(), _row.GetValues(), label, weight);
            }
        }

        return batch.Count > before;
    }

    /// <summary>
    /// Advances to the next usable row and reads its label (class index) and weight; the features are left in
    /// <see cref="CurrentFeatures"/>. Returns false at the end of the data.
    /// </summary>
    public bool TryRead(out int label, out float weight)
    {
        while (_cursor.MoveNext())
        {
            Counts.Read++;
            var counts = Counts;
            if (_split is not null)
            {
                DataViewRowId id = default;
                _id!(ref id);
                bool held = _split.IsValidation(id);
                if (_selection == RowSelection.Both)
                {
                    CurrentIsValidation = held;
                    if (held)
                    {
                        Counts.HeldOut++;
                        counts = ValidationCounts;
                        counts.Read++;
                    }
                }
                else if (held != (_selection == RowSelection.Validation))
                {
                    if (_selection == RowSelection.Training)
                    {
                        Counts.HeldOut++;
                    }

                    continue;
                }
            }

            if (_booleanLabel is not null)
            {
                bool value = false;
                _booleanLabel(ref value);
                label = value ? 1 : 0;
            }
            else
            {
                uint key = 0;
                _keyLabel!(ref key);
                if (key == 0)
                {
                    counts.SkippedMissingLabel++;
                    continue;
                }

                label = (int)(key - 1);
            }

            weight = 1f;
            if (_weight is not null)
            {
                _weight(ref weight);
                if (!(weight >= 0) || float.IsPositiveInfinity(weight))
                {
                    counts.SkippedInvalidWeight++;
                    continue;
                }
            }

            if (_classWeights is not null)
            {
                weight *= _classWeights[label];
            }

            _features(ref _row);
            if (!TrainingMath.AllFinite(_row.GetValues()))
            {
                counts.SkippedNonFiniteFeatures++;
                continue;
            }

            counts.Used++;
            return true;
        }

        label = 0;
        weight = 0;
        return false;
    }

    /// <summary>The features of the row last returned by <see cref="TryRead"/>.</summary>
    public ref readonly VBuffer<float> CurrentFeatures => ref _row;

    /// <inheritdoc/>
    public void Dispose() => _cursor.Dispose();
}
