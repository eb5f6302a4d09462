using Microsoft.ML;
using MLNet.Adam.Data;

namespace MLNet.Adam.Training;

/// <summary>
/// The first streaming pass over the training rows: counts usable and skipped rows, the weight of each class
/// (for balanced class weights and the bias initialization), how sparse the features are and their mean and
/// variance; and, when they fit the memory budget, packs the usable rows (training and held-out parts apart) into
/// contiguous storage so that later passes need no cursor.
/// </summary>
internal sealed class DataScan
{
    /// <summary>
    /// Usable training rows from which a scan of rows known to be streamed stops early (see <see cref="Run"/>): the
    /// statistics of the first rows stand for all of them, so training starts after reading 65,536 rows instead of
    /// after a full pass (on the 4,000,000-row file of the fit benchmark a pass is about half of the Fit).
    /// </summary>
    public const int StreamedPrefixRows = 1 << 16;

    private DataScan(
        RowCounts counts, RowCounts? validationCounts, double[] classWeights, double nonZeroFraction, double[] mean, double[] variance,
        PackedRows? packed, PackedRows? packedValidation, string packing)
    {
        Mean = mean;
        Variance = variance;
        Counts = counts;
        ValidationCounts = validationCounts;
        ClassWeightTotals = classWeights;
        NonZeroFraction = nonZeroFraction;
        Packed = packed;
        PackedValidation = packedValidation;
        Packing = packing;
    }

    /// <summary>Row counts of the training part.</summary>
    public RowCounts Counts { get; }

    /// <summary>Row counts of the held-out part, when there is a split.</summary>
    public RowCounts? ValidationCounts { get; }

    /// <summary>Sum of example weights per class (before class weighting).</summary>
    public double[] ClassWeightTotals { get; }

    /// <summary>Per-feature weighted mean over the usable rows.</summary>
    public double[] Mean { get; }

    /// <summary>Per-feature weighted (population) variance over the usable rows.</summary>
    public double[] Variance { get; }

    /// <summary>Mean fraction of explicitly stored feature values per usable row.</summary>
    public double NonZeroFraction { get; }

    /// <summary>The usable training rows (weights before class weighting), or null when they did not fit the budget.</summary>
    public PackedRows? Packed { get; }

    /// <summary>The usable held-out rows, when there is a split and the rows were packed.</summary>
    public PackedRows? PackedValidation { get; }

    /// <summary>Whether the rows were packed, and why.</summary>
    public string Packing { get; }

    /// <summary>
    /// Null after a full pass; after a prefix scan the usable training rows expected in a pass, from the data's row
    /// count and the prefix's share of usable training rows (the counts then describe the prefix only).
    /// </summary>
    public long? EstimatedRows { get; private set; }

    /// <summary>
    /// The first pass. With <paramref name="allowPrefix"/>, when the data's row count shows at its first row that
    /// dense rows exceed the budget (so they will be streamed anyway), the pass stops after
    /// <see cref="StreamedPrefixRows"/> usable training rows and <see cref="EstimatedRows"/> scales the statistics to
    /// the whole data.
    /// </summary>
    public static DataScan Run(IDataView data, TrainingColumns columns, HoldoutSplit? split, long budgetBytes, bool allowPrefix, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var totals = new double[columns.ClassCount];
        double stored = 0, totalWeight = 0;
        var sum = new double[columns.FeatureCount];
        var sumOfSquares = new double[columns.FeatureCount];
        long? rowCount = data.GetRowCount();
        PackedRows? packed = null, packedValidation = null;
        bool packing = budgetBytes > 0;
        string reason = budgetBytes > 0 ? "" : "packing is off (MemoryBudget 0)";
        bool first = true;
        bool prefix = false;
        using var stream = new RowStream(data, columns, random: null, split, RowSelection.Both, classWeights: null);
        while (stream.TryRead(out int label, out float weight))
        {
            if (((stream.Counts.Read + stream.ValidationCounts.Read) & 1023) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            ref readonly var row = ref stream.CurrentFeatures;
            if (packing && first)
            {
                // Rows are kept in the form they arrive in. A known row count decides dense data at once.
                long perRow = row.IsDense ? ((long)columns.FeatureCount * sizeof(float)) + 8 : 0;
                if (rowCount is { } n && perRow > 0 && n * perRow > budgetBytes)
                {
                    packing = false;
                    prefix = allowPrefix;
                    reason = $"streaming: {n} rows x {columns.FeatureCount} dense features need {Mib(n * perRow)}, over the memory budget of {Mib(budgetBytes)}" +
                        (prefix ? $"; statistics from the first {StreamedPrefixRows} usable rows" : "");
                }
                else
                {
                    long expected = rowCount ?? 0;
                    packed = new PackedRows(columns.FeatureCount, !row.IsDense, split is null ? expected : (long)(expected * (1 - split.Fraction) * 1.05) + 16);
                    packedValidation = split is null ? null : new PackedRows(columns.FeatureCount, !row.IsDense, (long)(expected * split.Fraction * 1.05) + 16);
                }
            }

            first = false;
            var values = row.GetValues();
            if (packing)
            {
                var target = stream.CurrentIsValidation ? packedValidation! : packed!;
                if (row.IsDense)
                {
                    target.AddDense(values, label, weight);
                }
                else
                {
                    target.AddSparse(row.GetIndices(), values, label, weight);
                }

                if (packed!.Bytes + (packedValidation?.Bytes ?? 0) > budgetBytes)
                {
                    packing = false;
                    reason = $"streaming: the rows need more than the memory budget of {Mib(budgetBytes)}";
                    packed = packedValidation = null;
                }
            }

            if (stream.CurrentIsValidation)
            {
                continue;
            }

            totals[label] += weight;
            stored += row.IsDense ? CountNonZero(values) : values.Length;
            Accumulate(row.IsDense ? default : row.GetIndices(), values, row.IsDense, weight, sum, sumOfSquares);
            totalWeight += weight;
            if (prefix && stream.Counts.Used >= StreamedPrefixRows)
            {
                break;
            }
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

        if (packed is not null)
        {
            packed.TrimExcess();
            packedValidation?.TrimExcess();
            long bytes = packed.Bytes + (packedValidation?.Bytes ?? 0);
            reason = $"packed in memory: {Mib(bytes)} ({(packed.IsSparse ? "sparse rows" : "dense rows")}) within the memory budget of {Mib(budgetBytes)}";
        }

        var scan = new DataScan(stream.Counts, split is null ? null : stream.ValidationCounts, totals, fraction, mean, variance, packed, packedValidation, reason);
        // Counts.Read counts every row the cursor produced, held-out ones included.
        bool stoppedEarly = prefix && used >= StreamedPrefixRows && stream.Counts.Read < rowCount;
        if (stoppedEarly)
        {
            // The prefix's share of usable training rows, applied to the whole data; class totals scale with it (their
            // proportions give the bias priors and balanced weights, their sum the total weight the penalties divide by).
            long read = stream.Counts.Read;
            long estimated = Math.Max(used, (long)Math.Round((double)rowCount!.Value * used / read));
            double scale = (double)estimated / used;
            for (int c = 0; c < totals.Length; c++)
            {
                totals[c] *= scale;
            }

            scan.EstimatedRows = estimated;
        }

        return scan;
    }

    internal static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";

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
