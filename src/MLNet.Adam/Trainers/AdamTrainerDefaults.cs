namespace MLNet.Adam.Trainers;

/// <summary>
/// Default option values of both Adam trainers, in one place. The catalog methods, the <c>Options</c> classes and
/// the documentation all refer to these constants.
/// </summary>
public static class AdamTrainerDefaults
{
    /// <summary>Default label column name (ML.NET's convention).</summary>
    public const string LabelColumnName = "Label";

    /// <summary>Default feature column name (ML.NET's convention).</summary>
    public const string FeatureColumnName = "Features";

    /// <summary>Initial learning rate on dense rows when <c>LearningRate</c> is null. Features are expected on a comparable scale (for example after <c>NormalizeMeanVariance</c>) or are standardized implicitly.</summary>
    public const float LearningRate = Training.TrainingPlan.DenseLearningRate;

    /// <summary>
    /// Initial learning rate on sparse rows (under a quarter of the values stored) when <c>LearningRate</c> is null.
    /// Adam's step for a weight scales with the square root of the fraction of steps whose mini-batch holds its
    /// feature, so the rare features of one-hot and text data move far slower than dense ones at the same rate.
    /// </summary>
    public const float SparseLearningRate = Training.TrainingPlan.SparseLearningRate;

    /// <summary>Largest automatic mini-batch size (rows).</summary>
    public const int BatchSize = Training.TrainingPlan.MaximumAutomaticBatchSize;

    /// <summary>Smallest automatic mini-batch size (rows).</summary>
    public const int MinimumBatchSize = Training.TrainingPlan.MinimumAutomaticBatchSize;

    /// <summary>Steps per epoch the automatic batch size aims at on small data.</summary>
    public const int StepsPerEpoch = Training.TrainingPlan.StepsPerSmallEpoch;

    /// <summary>
    /// The automatic mini-batch size for <paramref name="rows"/> training rows: <c>ceil(rows / 16)</c> within
    /// [16, 256]. On 120 rows (iris) a full batch gives one Adam step per epoch and the epoch maximum is reached
    /// before convergence; 16-row batches give 8 steps per epoch.
    /// </summary>
    public static int BatchSizeFor(long rows) => Training.TrainingPlan.AutomaticBatchSize(rows);

    /// <summary>Maximum number of passes over the training data; training normally stops earlier on convergence.</summary>
    public const int NumberOfEpochs = 1000;

    /// <summary>
    /// L2 regularization weight used when <c>L2Regularization</c> is null, with ML.NET's L-BFGS meaning: the objective is the weighted sum of losses plus
    /// <c>L2Regularization / 2 * ||w||^2</c> (biases excluded), so that the same value regularizes the same way.
    /// </summary>
    public const float L2Regularization = 1f;

    /// <summary>L1 regularization weight (on the summed loss, as L2): off by default.</summary>
    public const float L1Regularization = 0f;

    /// <summary>
    /// Relative improvement of the epoch's training objective below which an epoch counts as "not improving" (also the
    /// plateau schedule's threshold). Measured with the fit benchmark (<c>dotnet run -c Release --project
    /// tests/MLNet.Adam.Benchmarks -- fit --datasets synthetic,adult,fashion-mnist --trainers adam --rounds 1
    /// --adam ConvergenceTolerance=1e-4</c>, and without the option): 1e-3 against 1e-4 took 14 / 12 / 13 epochs
    /// against 16 / 15 / 15 on the synthetic 20,000 x 50 data, UCI Adult and Fashion-MNIST, for test log-loss
    /// 0.6414 / 0.4682 / 0.4345 against 0.6412 / 0.4677 / 0.4345 (monitored on their training rows' objective at epoch
    /// ends; see <c>ConvergenceTolerance</c> of the options). After a one-hold-out L2 path (the issue labeler) the final
    /// fit runs at most the chosen point's epochs, whatever the tolerance.
    /// </summary>
    public const double ConvergenceTolerance = 1e-3;

    /// <summary>
    /// The convergence tolerance of small data monitored on its exact training objective, when
    /// <c>ConvergenceTolerance</c> is null: epochs are cheap there and the objective has no sampling noise (iris, 119
    /// training rows: test log-loss 0.0633 with 1e-4 against 0.0639 with 1e-3, in
    /// <c>tests/MLNet.Adam.Tests/Training/DefaultsParityTests.cs</c>).
    /// </summary>
    public const double ExactConvergenceTolerance = 1e-4;

    /// <summary>Rows between convergence checks on data larger than this (see the option of the same name).</summary>
    public const int ConvergenceCheckRows = 500_000;

    /// <summary>Number of consecutive non-improving epochs (at the minimum learning rate) before training stops.</summary>
    public const int ConvergencePatience = 2;

    /// <summary>Multiplier of the reduce-on-plateau, step-decay and exponential-decay schedules.</summary>
    public const float ScheduleFactor = 0.25f;

    /// <summary>Epochs between step-decay reductions.</summary>
    public const int ScheduleStepEpochs = 10;

    /// <summary>Inverse-time decay's gamma (per epoch).</summary>
    public const float ScheduleGamma = 0.1f;

    /// <summary>Inverse-time decay's power.</summary>
    public const float SchedulePower = 0.5f;

    /// <summary>The smallest learning rate of the cosine and reduce-on-plateau schedules, as a fraction of the initial one.</summary>
    public const float MinimumLearningRateRatio = 1e-3f;

    /// <summary>Largest default memory budget for packing the training rows: 1 GiB.</summary>
    public const long MaximumDefaultMemoryBudget = 1L << 30;

    /// <summary>
    /// The default memory budget for packing the training rows in memory: an eighth of the memory available to the
    /// process (<see cref="GC.GetGCMemoryInfo()"/>), at most <see cref="MaximumDefaultMemoryBudget"/>. Data needing
    /// more is streamed with bounded memory, as a user streaming a large file expects.
    /// </summary>
    public static long MemoryBudget => Math.Min(MaximumDefaultMemoryBudget, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8);
}
