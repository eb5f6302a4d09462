using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.Adam.Data;
using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Training;

/// <summary>What a training run starts from: nothing, warm-start parameters, or a checkpoint of an earlier run.</summary>
internal sealed record TrainingStart(float[]? Parameters, TrainingCheckpoint? Checkpoint);

/// <summary>
/// The training run shared by both trainers: the first pass (statistics, and the rows packed in memory when they fit
/// the budget), the model's shape and kernels, the L2 choice, then the mini-batch loop of <see cref="Descent"/>.
/// </summary>
internal sealed class TrainingEngine
{
    // Rows stored per feature below which batches are kept sparse (CSR); dense kernels win above it.
    private const double SparseThreshold = 0.25;

    // With many classes a sparse row touches whole weight rows: the feature-major layout keeps them contiguous.
    private const int FeatureMajorMinimumClasses = 8;

    private readonly TrainingSettings _settings;
    private readonly TrainingColumns _columns;
    private readonly IChannel? _channel;

    public TrainingEngine(TrainingSettings settings, TrainingColumns columns, IChannel? channel)
    {
        _settings = settings;
        _columns = columns;
        _channel = channel;
    }

    public TrainingResult Run(IDataView train, IDataView? validation, TrainingStart start)
    {
        var clock = Stopwatch.StartNew();
        var token = _settings.CancellationToken;
        token.ThrowIfCancellationRequested();
        var split = validation is null && _settings.ValidationFraction > 0 ? new HoldoutSplit(_settings.ValidationFraction, _settings.Seed) : null;
        var trainSelection = split is null ? RowSelection.All : RowSelection.Training;
        long budget = _settings.MemoryBudget;

        var scan = DataScan.Run(train, _columns, split, budget, token);
        if (scan.Counts.Used == 0)
        {
            throw new InvalidOperationException(
                $"No usable training rows in feature column '{_columns.Features.Name}' and label column '{_columns.Label.Name}': {scan.Counts}.");
        }

        if (scan.Counts.Skipped > 0)
        {
            Warn($"Skipped {scan.Counts.Skipped} of {scan.Counts.Read} rows: {scan.Counts}.");
        }

        var classWeights = ClassWeightResolver.Resolve(_settings, scan.ClassWeightTotals);
        double totalWeight = 0;
        for (int c = 0; c < classWeights.Length; c++)
        {
            totalWeight += scan.ClassWeightTotals[c] * classWeights[c];
        }

        if (!(totalWeight > 0))
        {
            throw new InvalidOperationException($"The training rows have a total weight of {totalWeight}; at least one row needs a positive example weight (column '{_settings.ExampleWeightColumnName}').");
        }

        bool sparse = scan.NonZeroFraction < SparseThreshold;
        var shape = _columns.LabelKind == LabelKind.Boolean
            ? ModelShape.Binary(_columns.FeatureCount)
            : ModelShape.Multiclass(_columns.FeatureCount, _columns.ClassCount, sparse && _columns.ClassCount >= FeatureMajorMinimumClasses ? WeightLayout.FeatureMajor : WeightLayout.ClassMajor);

        var checkpoint = start.Checkpoint;
        if (checkpoint is not null && checkpoint.Shape != shape)
        {
            throw new ArgumentException(
                $"The checkpoint was trained with {checkpoint.Shape.FeatureCount} features, {checkpoint.Shape.OutputCount} output(s) and {checkpoint.Shape.Layout} layout; " +
                $"this data needs {shape.FeatureCount}, {shape.OutputCount} and {shape.Layout}. Resume with the same data and options.", "checkpoint");
        }

        bool standardize = _settings.Standardization switch
        {
            FeatureStandardization.On => true,
            FeatureStandardization.Off => false,
            _ => Standardization.IsWorthwhile(scan.Mean, scan.Variance, scan.NonZeroFraction < SparseThreshold, out string why) && Log($"Standardizing features implicitly ({why}).")
                || !Log($"Training on the raw features ({why})."),
        };
        var standardization = standardize ? new Standardization(shape, scan.Mean, scan.Variance) : Standardization.None(shape);
        if (standardization.Warning is { } warning)
        {
            Warn(warning);
        }

        float[] parameters;
        if (checkpoint is not null)
        {
            parameters = (float[])checkpoint.Parameters.Clone();
        }
        else
        {
            var raw = start.Parameters is { } warm ? ParameterLayout.FromCanonical(shape, warm) : ParameterLayout.Initial(shape, scan.ClassWeightTotals, classWeights);
            parameters = new float[shape.ParameterCount];
            standardization.FromRaw(raw, parameters);
        }

        Info($"Training rows: {scan.Packing}.");
        scan.Packed?.ApplyClassWeights(classWeights);
        bool fullBatch = _settings.BatchSize is null && scan.Packed is { } small && IsSmall(small, shape);
        double storedPerRow = scan.NonZeroFraction * shape.FeatureCount;
        int batchSize = fullBatch ? (int)scan.Counts.Used : AutomaticBatchSize(_settings, scan.Counts.Used, storedPerRow, shape);
        var plan = KernelChoice.Resolve(_settings.Backend, shape, sparse);
        var gradients = new ShardedGradient(plan.CreateGradient, shape, _settings.Threads);
        string kernels = $"{plan.Description}, gradient '{gradients.KernelName}'";

        // Reading ahead uses a second thread, so it comes with NumberOfThreads >= 2; results do not depend on it.
        using IBatchSource source = scan.Packed is { } packed
            ? new PackedBatchSource(packed, batchSize, sparse, _settings.Shuffle, _settings.Seed) { FullBatchSteps = fullBatch ? FullBatchStepsPerEpoch : 1 }
            : new CursorBatchSource(train, _columns, split, trainSelection, classWeights, batchSize, sparse, _settings.Shuffle, _settings.Seed, readAhead: _settings.Threads >= 2);
        var validator = validation is not null ? new Validator(validation, BindValidation(validation), null, RowSelection.All, gradients, batchSize, sparse, RemainingBudget(budget, scan))
            : split is not null ? (scan.PackedValidation is { } pv
                ? new Validator(pv, scan.ValidationCounts!, gradients, batchSize, sparse)
                : new Validator(train, _columns, split, RowSelection.Validation, gradients, batchSize, sparse, 0))
            : null;

        var search = L2Search.Resolve(_settings, checkpoint, scan, totalWeight, shape, standardization, gradients, plan, sparse, storedPerRow, parameters, start.Parameters is not null, token, Info);
        float l2 = search.L2;
        if (search.Parameters is { } searched)
        {
            parameters = searched;
        }

        Info($"Training {(shape.IsBinary ? "logistic regression" : $"softmax regression ({shape.OutputCount} classes)")} on {scan.Counts.Used} rows x {shape.FeatureCount} features " +
            $"({(sparse ? "sparse" : "dense")}, {scan.NonZeroFraction:P1} stored), batch {batchSize}{(fullBatch ? $" (full batch, {FullBatchStepsPerEpoch} steps per epoch)" : "")}, up to {_settings.Threads} thread(s), {kernels}, L2 {l2:G4}.");

        var descent = new Descent(_settings, shape, standardization, gradients, plan, l2, totalWeight, _settings.NumberOfEpochs, clock, Info)
        {
            TrainingRows = scan.Packed is { } rows && IsSmall(rows, shape) ? new Validator(rows, null, gradients, Math.Max(batchSize, 1024), sparse) : null,
        };
        long stepsPerEpoch = fullBatch ? FullBatchStepsPerEpoch : (scan.Counts.Used + batchSize - 1) / batchSize;
        var outcome = descent.Run(source, validator, parameters, checkpoint, stepsPerEpoch, checkRows: validator is null && scan.Counts.Used > _settings.ConvergenceCheckRows ? _settings.ConvergenceCheckRows : 0, token);

        var rawParameters = new float[shape.ParameterCount];
        standardization.ToRaw(outcome.BestParameters ?? outcome.Parameters, rawParameters);
        var canonical = ParameterLayout.ToCanonical(shape, rawParameters);
        var resume = TrainingCheckpoint.Capture(shape, outcome.Parameters, outcome.State, outcome.Epochs, outcome.RowsSeen, outcome.Schedule, outcome.Monitor, outcome.History, l2);
        var summary = new TrainingSummary(
            outcome.History, outcome.Epochs, outcome.Monitor.BestEpoch ?? outcome.Epochs, outcome.StopReason, scan.Counts, validator?.Counts, kernels,
            gradients.ThreadsUsed, sparse, shape.FeatureCount, _columns.ClassCount, clock.Elapsed)
        {
            Packing = scan.Packing,
            IsPacked = scan.Packed is not null,
            L2Regularization = l2,
            L2Path = search.Path,
            L2SearchTime = search.Elapsed,
        };
        Info($"Finished after {outcome.Epochs} epoch(s) in {clock.Elapsed.TotalSeconds:F2}s: {outcome.StopReason}; rows {summary.TrainingRows}.");
        return new TrainingResult(shape, canonical, summary, resume);
    }

    /// <summary>
    /// Data small enough that one extra forward pass per epoch (for the exact objective) costs little:
    /// at most <see cref="ExactObjectiveWork"/> multiply-adds (stored values x outputs).
    /// </summary>
    internal static bool IsSmall(PackedRows rows, ModelShape shape) =>
        rows.Count <= SmallRows && (double)rows.StoredValues * shape.OutputCount <= ExactObjectiveWork && shape.ParameterCount <= SmallParameterCount;

    /// <summary>
    /// Rows up to which a problem can count as small: the automatic mini-batch would be below 256 rows there
    /// (<see cref="AdamTrainerDefaults.BatchSizeFor"/>). Above it mini-batches of 256 rows take many steps per epoch
    /// and full-batch steps would multiply the work (UCI Adult, 26,030 rows: 45 full-batch epochs took 1.1 s against
    /// L-BFGS's 0.46 s in the fit benchmark).
    /// </summary>
    internal const int SmallRows = AdamTrainerDefaults.BatchSize * AdamTrainerDefaults.StepsPerEpoch;

    /// <summary>Parameters up to which a problem counts as small (every step updates all of them).</summary>
    internal const int SmallParameterCount = 50_000;

    /// <summary>
    /// The automatic batch size: <see cref="TrainingSettings.BatchSizeFor"/>, raised so that a step's gradient work
    /// (rows x stored values per row x outputs) is at least its update work (one pass over every parameter): with many
    /// parameters and few stored values per row (text) small batches would spend their time updating.
    /// </summary>
    internal static int AutomaticBatchSize(TrainingSettings settings, long rows, double storedPerRow, ModelShape shape)
    {
        int size = settings.BatchSizeFor(rows);
        if (settings.BatchSize is null)
        {
            double needed = shape.ParameterCount / Math.Max(1, storedPerRow * shape.OutputCount);
            size = (int)Math.Min(rows, Math.Max(size, Math.Min(AdamTrainerDefaults.BatchSize, Math.Ceiling(needed))));
        }

        return Math.Max(1, size);
    }

    internal const double ExactObjectiveWork = 2e7;

    /// <summary>
    /// Steps per epoch on small data with the automatic batch size: every step uses all rows (no sampling noise, so
    /// the plateau schedule and the convergence test see the true objective), and an epoch is this many steps.
    /// </summary>
    internal const int FullBatchStepsPerEpoch = 16;

    private static long RemainingBudget(long budget, DataScan scan) =>
        Math.Max(0, budget - (scan.Packed?.Bytes ?? 0) - (scan.PackedValidation?.Bytes ?? 0));

    private TrainingColumns BindValidation(IDataView validation)
    {
        var columns = TrainingColumns.Bind(validation.Schema, _columns.Features.Name, _columns.Label.Name, _columns.Weight?.Name, _columns.LabelKind);
        if (columns.FeatureCount != _columns.FeatureCount || columns.ClassCount != _columns.ClassCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validation),
                $"The validation data has {columns.FeatureCount} features in column '{columns.Features.Name}' and {columns.ClassCount} classes in column '{columns.Label.Name}'; " +
                $"the training data has {_columns.FeatureCount} and {_columns.ClassCount}.");
        }

        return columns;
    }

    private void Info(string message) => _channel?.Info(MessageSensitivity.None, message);

    private bool Log(string message)
    {
        Info(message);
        return true;
    }

    private void Warn(string message) => _channel?.Warning(MessageSensitivity.None, message);
}
