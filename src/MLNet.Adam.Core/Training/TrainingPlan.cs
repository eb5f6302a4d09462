using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// How a run trains, decided from the first pass's statistics and the options alone (so the mode is a deterministic
/// function of the data's size and the options): the model's shape and weight layout, sparse or dense batches, the
/// batch size, full-batch steps on small data and whether it is small enough for the finer convergence tolerance
/// (<see cref="ExactObjective"/>; which runs evaluate their training rows is <see cref="EvaluatesTrainingRows"/>).
/// </summary>
internal sealed record TrainingPlan(ModelShape Shape, bool Sparse, double StoredPerRow, bool FullBatch, int BatchSize, long StepsPerEpoch, bool ExactObjective)
{
    /// <summary>Stored values per feature below which batches are kept sparse (CSR); dense kernels win above it.</summary>
    public const double SparseThreshold = 0.25;

    /// <summary>Classes from which sparse multiclass models use the feature-major layout (a sparse row then touches contiguous weight rows).</summary>
    public const int FeatureMajorMinimumClasses = 8;

    /// <summary>Largest automatic mini-batch size (rows).</summary>
    public const int MaximumAutomaticBatchSize = 256;

    /// <summary>Smallest automatic mini-batch size (rows).</summary>
    public const int MinimumAutomaticBatchSize = 16;

    /// <summary>
    /// Steps per epoch the automatic batch size aims at on small data, and the steps of one epoch of full-batch
    /// training: every step uses all rows (no sampling noise, so the plateau schedule and the convergence test see the
    /// true objective).
    /// </summary>
    public const int StepsPerSmallEpoch = 16;

    /// <summary>
    /// Rows up to which a problem can count as small: the automatic mini-batch would be below 256 rows there. Above it
    /// mini-batches of 256 rows take many steps per epoch and full-batch steps would multiply the work (UCI Adult,
    /// 26,030 rows: 45 full-batch epochs took 1.1 s against L-BFGS's 0.46 s in the fit benchmark).
    /// </summary>
    public const int SmallRows = MaximumAutomaticBatchSize * StepsPerSmallEpoch;

    /// <summary>Parameters up to which a problem counts as small (every step updates all of them).</summary>
    public const int SmallParameterCount = 50_000;

    /// <summary>Multiply-adds (stored values x outputs) of one pass over the rows up to which a problem counts as small.</summary>
    public const double ExactObjectiveWork = 2e7;

    /// <summary>Initial learning rate of dense and full-batch plans when the user sets none.</summary>
    public const float DenseLearningRate = 0.01f;

    /// <summary>
    /// Initial learning rate of sparse mini-batch plans when the user sets none. A weight whose feature is in a fraction
    /// q of the mini-batches gets Adam steps of about <c>sqrt(q)</c> times the rate (its first moment is diluted by q,
    /// the root of its second by <c>sqrt(q)</c>), so at the dense rate the rare columns of one-hot and text data move
    /// far slower than the dense ones. Fit benchmark (<c>fit-one --dataset adult|labeler --trainer adam --adam
    /// LearningRate=R</c>), test log-loss at R = 0.01, 0.03, 0.1: UCI Adult 0.4682, 0.4666, 0.4657 (L-BFGS 0.4653);
    /// the issue labeler 1.1234, 1.1160, 1.1016 with fit times 17.1, 14.5, 12.9 s.
    /// </summary>
    public const float SparseLearningRate = 0.1f;

    /// <summary>Sparse rows trained in mini-batches: most features are absent from most steps' batches.</summary>
    public bool SparseMiniBatches => Sparse && !FullBatch;

    /// <summary>The initial learning rate when the user sets none: <see cref="SparseLearningRate"/> for <see cref="SparseMiniBatches"/>, else <see cref="DenseLearningRate"/>.</summary>
    public float DefaultLearningRate => SparseMiniBatches ? SparseLearningRate : DenseLearningRate;

    /// <summary>
    /// Decides the plan. <paramref name="packed"/> is null when the rows are streamed; <paramref name="batchSize"/>
    /// is the user's batch size or null for the automatic one.
    /// </summary>
    public static TrainingPlan Create(int featureCount, int classCount, bool binary, double nonZeroFraction, long rows, PackedRows? packed, int? batchSize)
    {
        bool sparse = nonZeroFraction < SparseThreshold;
        var shape = binary
            ? ModelShape.Binary(featureCount)
            : ModelShape.Multiclass(featureCount, classCount, sparse && classCount >= FeatureMajorMinimumClasses ? WeightLayout.FeatureMajor : WeightLayout.ClassMajor);
        bool small = packed is not null && IsSmall(packed, shape);
        bool fullBatch = batchSize is null && small;
        double storedPerRow = nonZeroFraction * featureCount;
        int size = fullBatch ? (int)rows : BatchSizeFor(batchSize, rows, storedPerRow, shape);
        long steps = fullBatch ? StepsPerSmallEpoch : (rows + size - 1) / size;
        return new TrainingPlan(shape, sparse, storedPerRow, fullBatch, size, steps, small);
    }

    /// <summary>The steps a packed source repeats each full batch for (1 unless training full batch).</summary>
    public int FullBatchSteps => FullBatch ? StepsPerSmallEpoch : 1;

    /// <summary>
    /// Data small enough to train full batch with the exact objective and the finer tolerance: at most
    /// <see cref="SmallRows"/> rows, <see cref="ExactObjectiveWork"/> multiply-adds and <see cref="SmallParameterCount"/> parameters.
    /// </summary>
    public static bool IsSmall(PackedRows rows, ModelShape shape) =>
        rows.Count <= SmallRows && (double)rows.StoredValues * shape.OutputCount <= ExactObjectiveWork && shape.ParameterCount <= SmallParameterCount;

    /// <summary>The automatic batch size rule: <c>ceil(rows / 16)</c> within [16, 256] (at most the row count).</summary>
    public static int AutomaticBatchSize(long rows) =>
        (int)Math.Min(rows, Math.Clamp((rows + StepsPerSmallEpoch - 1) / StepsPerSmallEpoch, MinimumAutomaticBatchSize, MaximumAutomaticBatchSize));

    /// <summary>
    /// The batch size for <paramref name="rows"/> rows: the user's (at most the row count), or the automatic rule
    /// raised so that a step's gradient work (rows x stored values per row x outputs) is at least its update work
    /// (one pass over every parameter): with many parameters and few stored values per row (text) small batches would
    /// spend their time updating.
    /// </summary>
    public static int BatchSizeFor(int? batchSize, long rows, double storedPerRow, ModelShape shape)
    {
        if (batchSize is { } given)
        {
            return (int)Math.Max(1, Math.Min(given, rows));
        }

        double needed = shape.ParameterCount / Math.Max(1, storedPerRow * shape.OutputCount);
        int size = (int)Math.Min(rows, Math.Max(AutomaticBatchSize(rows), Math.Min(MaximumAutomaticBatchSize, Math.Ceiling(needed))));
        return Math.Max(1, size);
    }

    /// <summary>Rows between convergence checks within epochs: <paramref name="checkRows"/> on data larger than that without validation rows, else 0 (checks at epoch ends).</summary>
    public static long CheckRows(long rows, bool validating, int checkRows) => !validating && rows > checkRows ? checkRows : 0;

    /// <summary>
    /// Whether packed training rows are evaluated at every epoch end for the monitored objective, given the rows
    /// between checks (<see cref="CheckRows"/>): small data always
    /// (<see cref="ExactObjective"/>), and other packed data checked at epoch ends (<paramref name="checkRows"/> 0)
    /// whose epochs have at least <see cref="StepsPerSmallEpoch"/> steps. The objective of the epoch's final weights
    /// then feeds the schedule and the convergence test instead of the mean of the batch losses taken while the weights
    /// moved, which lags behind by half an epoch of steps: after each reduction of the learning rate that mean still
    /// shows a large improvement for one more epoch, and at a constant rate it keeps improving slowly while the weights
    /// only move within their noise, so each reduction and the stop come an epoch or more late. With fewer steps per
    /// epoch the lag is a few steps and the mean is kept. The pass costs one forward pass over the rows per epoch (no
    /// gradient, no update). Checks within epochs, and streamed rows (which have no packed rows to evaluate), keep the
    /// batch losses.
    /// </summary>
    public bool EvaluatesTrainingRows(long checkRows) =>
        ExactObjective || (checkRows == 0 && StepsPerEpoch >= StepsPerSmallEpoch);
}
