using Microsoft.ML;
using MLNet.Adam.Data;

namespace MLNet.Adam.Training;

/// <summary>
/// The first streaming pass over the training rows: counts usable and skipped rows, the weight of each class
/// (for balanced class weights and the bias initialization) and how sparse the features are.
/// </summary>
internal sealed class DataScan
{
    private DataScan(RowCounts counts, double[] classWeights, double nonZeroFraction, double[] mean, double[] variance)
    {
        Mean = mean;
        Variance = variance;
        Counts = counts;
        ClassWeightTotals = classWeights;
        NonZeroFraction = nonZeroFraction;
    }

    /// <summary>Row counts of the pass.</summary>
    public RowCounts Counts { get; }

    /// <summary>Sum of example weights per class (before class weighting).</summary>
    public double[] ClassWeightTotals { get; }

    /// <summary>Per-feature weighted mean over the usable rows.</summary>
    public double[] Mean { get; }

    /// <summary>Per-feature weighted (population) variance over the usable rows.</summary>
    public double[] Variance { get; }

    /// <summary>Mean fraction of explicitly stored feature values per usable row.</summary>
    public double NonZeroFraction { get; }

    public static DataScan Run(IDataView data, TrainingColumns columns, HoldoutSplit? split, RowSelection selection, CancellationToken cancellation)
    {
        var totals = new double[columns.ClassCount];
        double stored = 0, totalWeight = 0;
        var sum = new double[columns.FeatureCount];
        var sumOfSquares = new double[columns.FeatureCount];
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
            Accumulate(row.IsDense ? default : row.GetIndices(), row.GetValues(), row.IsDense, weight, sum, sumOfSquares);
            totalWeight += weight;
        }

        long used = stream.Counts.Used;
        double fraction = used == 0 ? 1 : stored / ((double)used * columns.FeatureCount);
        var mean = new double[columns.FeatureCount];
        var variance = new double[columns.FeatureCount];
        // Weighted by the example weights, so a row of weight 2 counts like the row twice here as in training.
        for (int j = 0; totalWeight > 0 && j < mean.Length; j++)
        {
            mean[j] = sum[j] / totalWeight;
            variance[j] = Math.Max((sumOfSquares[j] / totalWeight) - (mean[j] * mean[j]), 0);
        }

        return new DataScan(stream.Counts, totals, fraction, mean, variance);
    }

    private static void Accumulate(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, bool dense, double weight, double[] sum, double[] sumOfSquares)
    {
        for (int k = 0; k < values.Length; k++)
        {
            int j = dense ? k : indices[k];
            double x = values[k];
            sum[j] += weight * x;
            sumOfSquares[j] += weight * x * x;
        }
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
