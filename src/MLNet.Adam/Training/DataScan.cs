using Microsoft.ML;
using MLNet.Adam.Data;

namespace MLNet.Adam.Training;

/// <summary>
/// The first streaming pass over the training rows: counts usable and skipped rows, the weight of each class
/// (for balanced class weights and the bias initialization) and how sparse the features are.
/// </summary>
internal sealed class DataScan
{
    private DataScan(RowCounts counts, double[] classWeights, double nonZeroFraction)
    {
        Counts = counts;
        ClassWeightTotals = classWeights;
        NonZeroFraction = nonZeroFraction;
    }

    /// <summary>Row counts of the pass.</summary>
    public RowCounts Counts { get; }

    /// <summary>Sum of example weights per class (before class weighting).</summary>
    public double[] ClassWeightTotals { get; }

    /// <summary>Mean fraction of explicitly stored feature values per usable row.</summary>
    public double NonZeroFraction { get; }

    public static DataScan Run(IDataView data, TrainingColumns columns, HoldoutSplit? split, RowSelection selection, CancellationToken cancellation)
    {
        var totals = new double[columns.ClassCount];
        double stored = 0;
        using var stream = new RowStream(data, columns, random: null, split, selection, classWeights: null);
        while (stream.TryRead(out int label, out float weight))
        {
            if ((stream.Counts.Used & 1023) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            totals[label] += weight;
            ref readonly var row = ref stream.CurrentFeatures;
            stored += row.IsDense ? CountNonZero(row.GetValues()) : row.GetValues().Length;
        }

        long used = stream.Counts.Used;
        double fraction = used == 0 ? 1 : stored / ((double)used * columns.FeatureCount);
        return new DataScan(stream.Counts, totals, fraction);
    }

    private static int CountNonZero(ReadOnlySpan<float> values)
    {
        int count = 0;
        foreach (var x in values)
        {
            if (x != 0)
            {
                count++;
            }
        }

        return count;
    }
}
