using Microsoft.ML;
using MLNet.Adam.Data;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>Streams the validation rows (separate data or the held-out part) and sums loss and accuracy.</summary>
internal sealed class Validator
{
    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private readonly HoldoutSplit? _split;
    private readonly RowSelection _selection;
    private readonly ShardedGradient _kernels;
    private readonly MiniBatch _batch;

    public Validator(IDataView data, TrainingColumns columns, HoldoutSplit? split, RowSelection selection, ShardedGradient kernels, MiniBatch batch)
    {
        _data = data;
        _columns = columns;
        _split = split;
        _selection = selection;
        _kernels = kernels;
        _batch = batch;
    }

    /// <summary>Row counts of the last validation pass.</summary>
    public RowCounts? Counts { get; private set; }

    public LossSummary Evaluate(float[] parameters, CancellationToken token)
    {
        double loss = 0, weight = 0, correct = 0;
        using var stream = new RowStream(_data, _columns, null, _split, _selection, classWeights: null);
        while (true)
        {
            token.ThrowIfCancellationRequested();
            _batch.Clear();
            if (!stream.Fill(_batch))
            {
                break;
            }

            var summary = _kernels.Loss(_batch, parameters);
            loss += summary.WeightedLoss;
            weight += summary.TotalWeight;
            correct += summary.CorrectWeight;
        }

        Counts = stream.Counts;
        if (weight == 0)
        {
            throw new InvalidOperationException($"The validation data has no usable rows: {stream.Counts}.");
        }

        return new LossSummary(loss, weight, correct);
    }
}
