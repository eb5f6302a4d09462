using System.Globalization;
using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Training;

/// <summary>
/// A validated snapshot of a trainer's options, taken when the trainer is created, so later edits of the options
/// object do not change a trainer and every invalid value fails early with its option's name.
/// </summary>
internal sealed class TrainingSettings
{
    public TrainingSettings(AdamTrainerOptionsBase options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options.LabelColumnName is not null, nameof(options.LabelColumnName), options.LabelColumnName, "a column name");
        Check(options.FeatureColumnName is not null, nameof(options.FeatureColumnName), options.FeatureColumnName, "a column name");
        Check(options.LearningRate is null || (float.IsFinite(options.LearningRate.Value) && options.LearningRate > 0), nameof(options.LearningRate), options.LearningRate, "a positive finite number, or null to choose it from the data");
        Check(options.Beta1 >= 0 && options.Beta1 < 1, nameof(options.Beta1), options.Beta1, "a number in [0, 1)");
        Check(options.Beta2 >= 0 && options.Beta2 < 1, nameof(options.Beta2), options.Beta2, "a number in [0, 1)");
        // 0 is rejected rather than trained with: a weight whose gradient has been 0 so far (an all-zero feature, a
        // feature absent from sparse rows) would divide 0 by 0 in the update, and tiny gradients whose square
        // underflows would divide by 0.
        Check(float.IsFinite(options.Epsilon) && options.Epsilon > 0, nameof(options.Epsilon), options.Epsilon,
            "a positive finite number (for example the default 1e-8): with 0 the update divides by 0 for every weight whose gradient has been 0 so far, such as an all-zero or sparse feature");
        Check(options.BatchSize is null or > 0, nameof(options.BatchSize), options.BatchSize, "a positive number, or null to choose it from the row count");
        Check(options.NumberOfEpochs > 0, nameof(options.NumberOfEpochs), options.NumberOfEpochs, "a positive number");
        Check(NonNegative(options.L1Regularization), nameof(options.L1Regularization), options.L1Regularization, "a non-negative finite number");
        Check(options.L2Regularization is null || NonNegative(options.L2Regularization.Value), nameof(options.L2Regularization), options.L2Regularization, "a non-negative finite number, or null to choose it from the data");
        Check(NonNegative(options.WeightDecay), nameof(options.WeightDecay), options.WeightDecay, "a non-negative finite number");
        Check(options.MemoryBudget is null or >= 0, nameof(options.MemoryBudget), options.MemoryBudget, "a non-negative number of bytes, or null for the default");
        Check(options.NumberOfThreads is null or > 0, nameof(options.NumberOfThreads), options.NumberOfThreads, "a positive number or null");
        Check(options.ConvergenceTolerance is null || (double.IsFinite(options.ConvergenceTolerance.Value) && options.ConvergenceTolerance >= 0), nameof(options.ConvergenceTolerance), options.ConvergenceTolerance, "a non-negative finite number, or null to choose it from the data");
        Check(options.ConvergenceCheckRows > 0, nameof(options.ConvergenceCheckRows), options.ConvergenceCheckRows, "a positive number");
        Check(options.EarlyStoppingPatience > 0, nameof(options.EarlyStoppingPatience), options.EarlyStoppingPatience, "a positive number");
        Check(options.ValidationFraction >= 0 && options.ValidationFraction < 1, nameof(options.ValidationFraction), options.ValidationFraction, "a number in [0, 1)");
        Check(NonNegative(options.GradientClipNorm), nameof(options.GradientClipNorm), options.GradientClipNorm, "a non-negative finite number (0 = no clipping)");
        Check(options.ProgressInterval >= TimeSpan.Zero, nameof(options.ProgressInterval), options.ProgressInterval, "a non-negative time span");
        Check(Enum.IsDefined(options.Backend), nameof(options.Backend), options.Backend, "Auto, Managed or Mkl");
        Check(Enum.IsDefined(options.Standardization), nameof(options.Standardization), options.Standardization, "Auto, On or Off");
        Check(Enum.IsDefined(options.ClassWeighting), nameof(options.ClassWeighting), options.ClassWeighting, "None, Balanced or Custom");
        if (options.ClassWeighting == ClassWeighting.Custom)
        {
            Check(options.ClassWeights is not null, nameof(options.ClassWeights), null, "an array of non-negative finite weights, one per class, when ClassWeighting is Custom");
            Check(options.ClassWeights!.Length > 0 && options.ClassWeights.All(NonNegative), nameof(options.ClassWeights), Describe(options.ClassWeights), "an array of non-negative finite weights, one per class");
            Check(options.ClassWeights.Any(w => w > 0), nameof(options.ClassWeights), Describe(options.ClassWeights), "an array with at least one positive weight (the class weights are all zero, so no row would count)");
        }
        else if (options.ClassWeights is not null)
        {
            throw new ArgumentException(
                $"Option ClassWeights is set ({Describe(options.ClassWeights)}) but option ClassWeighting is {options.ClassWeighting}, which does not use it. " +
                $"Set ClassWeighting = {nameof(ClassWeighting)}.{nameof(ClassWeighting.Custom)} to use these weights, or leave ClassWeights null.",
                nameof(options.ClassWeights));
        }

        var schedule = options.Schedule ?? throw new ArgumentOutOfRangeException(nameof(options.Schedule), "Schedule must not be null.");
        Check(Enum.IsDefined(schedule.Kind), "Schedule.Kind", schedule.Kind, "a defined schedule kind");
        Check(schedule.Factor > 0 && schedule.Factor < 1, "Schedule.Factor", schedule.Factor, "a number in (0, 1)");
        Check(schedule.StepEpochs > 0, "Schedule.StepEpochs", schedule.StepEpochs, "a positive number");
        Check(NonNegative(schedule.Gamma), "Schedule.Gamma", schedule.Gamma, "a non-negative finite number");
        Check(NonNegative(schedule.Power), "Schedule.Power", schedule.Power, "a non-negative finite number");
        Check(NonNegative(schedule.WarmupEpochs), "Schedule.WarmupEpochs", schedule.WarmupEpochs, "a non-negative finite number");
        Check(schedule.PlateauPatience >= 0, "Schedule.PlateauPatience", schedule.PlateauPatience, "a non-negative number");
        Check(schedule.MinimumLearningRateRatio >= 0 && schedule.MinimumLearningRateRatio <= 1, "Schedule.MinimumLearningRateRatio", schedule.MinimumLearningRateRatio, "a number in [0, 1]");
        Check(schedule.MinimumLearningRate is null || NonNegative(schedule.MinimumLearningRate.Value), "Schedule.MinimumLearningRate", schedule.MinimumLearningRate, "a non-negative finite number or null");
        if (schedule.Kind == LearningRateScheduleKind.Cosine && !(schedule.WarmupEpochs < options.NumberOfEpochs))
        {
            throw new ArgumentOutOfRangeException(
                "Schedule.WarmupEpochs",
                schedule.WarmupEpochs,
                string.Create(CultureInfo.InvariantCulture, $"Option Schedule.WarmupEpochs = {schedule.WarmupEpochs} must be less than option NumberOfEpochs = {options.NumberOfEpochs} ") +
                "with the Cosine schedule: the warm-up has to end before the last epoch so that the cosine decay has steps to run.");
        }

        LabelColumnName = options.LabelColumnName!;
        FeatureColumnName = options.FeatureColumnName!;
        ExampleWeightColumnName = string.IsNullOrEmpty(options.ExampleWeightColumnName) ? null : options.ExampleWeightColumnName;
        LearningRate = options.LearningRate;
        Adam = new AdamHyperparameters { LearningRate = options.LearningRate ?? AdamTrainerDefaults.LearningRate, Beta1 = options.Beta1, Beta2 = options.Beta2, Epsilon = options.Epsilon, Amsgrad = options.Amsgrad };
        BatchSize = options.BatchSize;
        NumberOfEpochs = options.NumberOfEpochs;
        L1Regularization = options.L1Regularization;
        L2Regularization = options.L2Regularization;
        WeightDecay = options.WeightDecay;
        RegularizeBias = options.RegularizeBias;
        Shuffle = options.Shuffle;
        Standardization = options.Standardization;
        Seed = options.Seed ?? 0;
        Threads = options.NumberOfThreads ?? Environment.ProcessorCount;
        MemoryBudget = options.MemoryBudget ?? AdamTrainerDefaults.MemoryBudget;
        Backend = options.Backend;
        ConvergenceTolerance = options.ConvergenceTolerance;
        EarlyStoppingPatience = options.EarlyStoppingPatience;
        ConvergenceCheckRows = options.ConvergenceCheckRows;
        ValidationFraction = options.ValidationFraction;
        GradientClipNorm = options.GradientClipNorm;
        ClassWeighting = options.ClassWeighting;
        ClassWeights = options.ClassWeights?.ToArray();
        Progress = options.Progress;
        ProgressInterval = options.ProgressInterval;
        CancellationToken = options.CancellationToken;
        Schedule = new LearningRateScheduleOptions
        {
            Kind = schedule.Kind,
            Factor = schedule.Factor,
            StepEpochs = schedule.StepEpochs,
            Gamma = schedule.Gamma,
            Power = schedule.Power,
            WarmupEpochs = schedule.WarmupEpochs,
            PlateauPatience = schedule.PlateauPatience,
            MinimumLearningRateRatio = schedule.MinimumLearningRateRatio,
            MinimumLearningRate = schedule.MinimumLearningRate,
        };
    }

    public string LabelColumnName { get; }

    /// <summary>The optimizer's hyperparameters (the objective sets the penalties; the run sets the learning rate when <see cref="LearningRate"/> is null).</summary>
    public AdamHyperparameters Adam { get; }

    /// <summary>The run's options in the training core's terms.</summary>
    public RunOptions ToRunOptions() => new(
        Adam, LearningRate, GradientClipNorm, ConvergenceTolerance, AdamTrainerDefaults.ConvergenceTolerance, AdamTrainerDefaults.ExactConvergenceTolerance, EarlyStoppingPatience, NumberOfEpochs,
        (steps, tolerance, learningRate) => ScheduleFactory.Create(this, steps, tolerance, learningRate), Backend, Threads, BatchSize,
        L2Regularization, AdamTrainerDefaults.L2Regularization, L1Regularization, WeightDecay, RegularizeBias,
        Standardization switch { FeatureStandardization.On => true, FeatureStandardization.Off => false, _ => null }, Shuffle, Seed, ConvergenceCheckRows);

    public string FeatureColumnName { get; }

    public string? ExampleWeightColumnName { get; }

    /// <summary>The initial learning rate the user set, or null to choose it from the data (<see cref="TrainingPlan.DefaultLearningRate"/>).</summary>
    public float? LearningRate { get; }

    /// <summary>The batch size the user set, or null to choose it from the row count.</summary>
    public int? BatchSize { get; }

    public int NumberOfEpochs { get; }

    public float L1Regularization { get; }

    /// <summary>The L2 weight the user set, or null to choose it from the data.</summary>
    public float? L2Regularization { get; }

    public float WeightDecay { get; }

    public bool RegularizeBias { get; }

    public bool Shuffle { get; }

    public FeatureStandardization Standardization { get; }

    public int Seed { get; }

    public int Threads { get; }

    /// <summary>Bytes allowed for packing the rows in memory.</summary>
    public long MemoryBudget { get; }

    public KernelBackend Backend { get; }

    /// <summary>The tolerance the user set, or null to choose it from the data.</summary>
    public double? ConvergenceTolerance { get; }

    public int EarlyStoppingPatience { get; }

    public int ConvergenceCheckRows { get; }

    public float ValidationFraction { get; }

    public float GradientClipNorm { get; }

    public ClassWeighting ClassWeighting { get; }

    public float[]? ClassWeights { get; }

    public IProgress<TrainingProgress>? Progress { get; }

    public TimeSpan ProgressInterval { get; }

    public CancellationToken CancellationToken { get; }

    public LearningRateScheduleOptions Schedule { get; }

    /// <summary>The schedule's smallest learning rate for the initial rate <paramref name="learningRate"/>.</summary>
    public float MinimumLearningRate(float learningRate) => Schedule.MinimumLearningRate ?? (learningRate * Schedule.MinimumLearningRateRatio);

    private static bool NonNegative(float value) => float.IsFinite(value) && value >= 0;

    private static string Describe(float[] weights) =>
        weights.Length <= 8
            ? "[" + string.Join(", ", weights.Select(w => w.ToString("R", CultureInfo.InvariantCulture))) + "]"
            : $"{weights.Length} weights";

    private static void Check(bool ok, string name, object? value, string expected)
    {
        if (!ok)
        {
            string shown = value switch
            {
                null => "null",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "null",
            };
            throw new ArgumentOutOfRangeException(name, value, $"Option {name} must be {expected}; got {shown}.");
        }
    }
}
