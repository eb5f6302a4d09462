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

/// <summary>The mini-batch Adam loop shared by both trainers.</summary>
internal sealed class TrainingEngine
{
    // Rows stored per feature below which batches are kept sparse (CSR); dense kernels win above it.
    private const double SparseThreshold = 0.25;

    // With many classes a sparse row touches whole weight rows: the feature-major layout keeps them contiguous.
    private const int FeatureMajorMinimumClasses = 8;

    private readonly TrainingSettings _settings;
    private readonly TrainingColumns _columns;
    private readonly MLContext _context;
    private readonly IChannel? _channel;

    public TrainingEngine(TrainingSettings settings, TrainingColumns columns, MLContext context, IChannel? channel)
    {
        _settings = settings;
        _columns = columns;
        _context = context;
        _channel = channel;
    }

    public TrainingResult Run(IDataView train, IDataView? validation, TrainingStart start)
    {
        var clock = Stopwatch.StartNew();
        var token = _settings.CancellationToken;
        var split = validation is null && _settings.ValidationFraction > 0 ? new HoldoutSplit(_settings.ValidationFraction, _settings.Seed) : null;
        var trainSelection = split is null ? RowSelection.All : RowSelection.Training;

        var scan = DataScan.Run(train, _columns, split, trainSelection, token);
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
            _ => Standardization.IsWorthwhile(scan.Mean, scan.Variance, out string why) && Log($"Standardizing features implicitly ({why}).")
                || !Log($"Training on the raw features ({why})."),
        };
        var standardization = standardize ? new Standardization(shape, scan.Mean, scan.Variance) : Standardization.None(shape);
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

        // The kernels see raw-space weights; the optimizer moves the standardized parameters.
        var rawParameters = new float[shape.ParameterCount];
        float l2PerWeight = (float)((_settings.L2Regularization ?? AdamTrainerDefaults.L2Regularization) / totalWeight);

        var plan = KernelChoice.Resolve(_settings.Backend, shape, sparse);
        var hyperparameters = new AdamHyperparameters
        {
            LearningRate = _settings.LearningRate,
            Beta1 = _settings.Beta1,
            Beta2 = _settings.Beta2,
            Epsilon = _settings.Epsilon,
            Amsgrad = _settings.Amsgrad,
            L2Regularization = 0f, // applied in the raw space below, with ML.NET's meaning
            L1Regularization = (float)(_settings.L1Regularization / totalWeight),
            WeightDecay = _settings.WeightDecay,
            RegularizeBias = _settings.RegularizeBias,
        }.Validate();
        var optimizer = checkpoint is not null
            ? new AdamOptimizer(hyperparameters, checkpoint.OptimizerState.Clone(), shape.WeightCount, plan.Update)
            : new AdamOptimizer(hyperparameters, shape.ParameterCount, shape.WeightCount, plan.Update);

        int batchSize = (int)Math.Min(_settings.BatchSize, scan.Counts.Used);
        long stepsPerEpoch = (scan.Counts.Used + batchSize - 1) / batchSize;
        var schedule = ScheduleFactory.Create(_settings, stepsPerEpoch);
        var monitor = new ConvergenceMonitor(_settings.ConvergenceTolerance, _settings.EarlyStoppingPatience, keepBest: validation is not null || split is not null);
        if (checkpoint is not null)
        {
            checkpoint.RestoreInto(schedule, monitor);
        }

        var gradients = new ShardedGradient(plan.CreateGradient, shape.ParameterCount, _settings.Threads);
        string kernels = $"{plan.Description}, gradient '{gradients.KernelName}'";
        var batch = new MiniBatch(shape.FeatureCount, batchSize, sparse);

        // Reading ahead uses a second thread, so it comes with NumberOfThreads >= 2; results do not depend on it.
        bool readAhead = _settings.Threads >= 2;
        var readAheadBatch = readAhead ? new MiniBatch(shape.FeatureCount, batchSize, sparse) : batch;
        var gradient = new float[shape.ParameterCount];
        var reporter = new ProgressReporter(_settings.Progress, _settings.ProgressInterval, clock);
        var validator = validation is not null ? new Validator(validation, BindValidation(validation), null, RowSelection.All, gradients, batch)
            : split is not null ? new Validator(train, _columns, split, RowSelection.Validation, gradients, batch)
            : null;

        Info($"Training {(shape.IsBinary ? "logistic regression" : $"softmax regression ({shape.OutputCount} classes)")} on {scan.Counts.Used} rows x {shape.FeatureCount} features " +
            $"({(sparse ? "sparse" : "dense")}, {scan.NonZeroFraction:P1} stored), batch {batchSize}, {_settings.Threads} thread(s), {kernels}.");

        var history = new List<EpochRecord>(checkpoint?.History ?? []);
        int firstEpoch = (checkpoint?.EpochsCompleted ?? 0) + 1;
        long rowsSeen = checkpoint?.RowsSeen ?? 0;
        string stopReason = $"reached the maximum of {_settings.NumberOfEpochs} epochs";
        int epoch = firstEpoch - 1;
        float learningRate = schedule.GetLearningRate(optimizer.State.Step);
        int regularizedCount = _settings.RegularizeBias ? shape.ParameterCount : shape.WeightCount;

        // On large data an epoch is too coarse a unit for the plateau schedule and the convergence test: without
        // validation they also run on the training loss of every ConvergenceCheckRows rows (spanning epochs).
        long checkRows = validator is null && scan.Counts.Used > _settings.ConvergenceCheckRows ? _settings.ConvergenceCheckRows : 0;
        double periodLoss = 0, periodWeight = 0;
        long periodRows = 0;
        bool stopped = false;

        bool Converged(double monitored, int atEpoch)
        {
            schedule.ReportMetric(monitored);
            bool atFloor = schedule is not ReduceOnPlateauSchedule plateau || plateau.CurrentLearningRate <= plateau.MinLearningRate;
            return monitor.Observe(monitored, parameters, atEpoch, atFloor);
        }

        for (epoch = firstEpoch; epoch <= _settings.NumberOfEpochs; epoch++)
        {
            double epochLoss = 0, epochWeight = 0;
            using (var stream = OpenEpoch(train, split, trainSelection, classWeights, epoch))
            using (var pipeline = new BatchPipeline(stream, batch, readAheadBatch, readAhead))
            {
                while (true)
                {
                    token.ThrowIfCancellationRequested();
                    if (pipeline.Next() is not { } current)
                    {
                        break;
                    }

                    double batchWeight = current.TotalWeight();
                    if (!(batchWeight > 0))
                    {
                        continue;
                    }

                    standardization.ToRaw(parameters, rawParameters);
                    double loss = gradients.Compute(current, rawParameters, gradient);
                    if (!double.IsFinite(loss))
                    {
                        throw Diverged(epoch, optimizer.State.Step + 1, "the training loss");
                    }

                    TrainingMath.ScaleInPlace(gradient, (float)(1 / batchWeight));
                    TrainingMath.AddL2(gradient, rawParameters, l2PerWeight, _settings.RegularizeBias ? shape.ParameterCount : shape.WeightCount);
                    standardization.GradientToStandardized(gradient);
                    if (_settings.GradientClipNorm > 0)
                    {
                        GradientClipping.ClipByGlobalNorm(gradient, _settings.GradientClipNorm);
                    }

                    learningRate = schedule.GetLearningRate(optimizer.State.Step);
                    optimizer.Step(parameters, gradient, learningRate);
                    epochLoss += loss;
                    epochWeight += batchWeight;
                    rowsSeen += current.Count;
                    reporter.Within(epoch, optimizer.State.Step, rowsSeen, epochLoss / epochWeight, learningRate);
                    if (checkRows > 0)
                    {
                        periodLoss += loss;
                        periodWeight += batchWeight;
                        periodRows += current.Count;
                        if (periodRows >= checkRows)
                        {
                            standardization.ToRaw(parameters, rawParameters);
                            stopped = Converged((periodLoss / periodWeight) + TrainingMath.RegularizationTerm(rawParameters, regularizedCount, _settings.L1Regularization, (_settings.L2Regularization ?? AdamTrainerDefaults.L2Regularization), totalWeight), epoch);
                            (periodLoss, periodWeight, periodRows) = (0, 0, 0);
                            if (stopped)
                            {
                                break;
                            }
                        }
                    }
                }

            }

            if (!TrainingMath.AllFinite(parameters))
            {
                throw Diverged(epoch, optimizer.State.Step, "the model weights");
            }

            double trainingLoss = epochWeight > 0 ? epochLoss / epochWeight : double.NaN;
            standardization.ToRaw(parameters, rawParameters);
            LossSummary? validationSummary = validator?.Evaluate(rawParameters, token);
            double? validationLoss = validationSummary is { TotalWeight: > 0 } v ? v.WeightedLoss / v.TotalWeight : null;
            double? validationAccuracy = validationSummary is { TotalWeight: > 0 } a ? a.CorrectWeight / a.TotalWeight : null;
            if (validationLoss is { } vl && !double.IsFinite(vl))
            {
                throw Diverged(epoch, optimizer.State.Step, "the validation loss");
            }

            double monitored = validationLoss ?? (trainingLoss + TrainingMath.RegularizationTerm(rawParameters, regularizedCount, _settings.L1Regularization, (_settings.L2Regularization ?? AdamTrainerDefaults.L2Regularization), totalWeight));
            stopped = stopped || (checkRows == 0 && Converged(monitored, epoch));
            var record = new EpochRecord(epoch, trainingLoss, validationLoss, validationAccuracy, learningRate, clock.Elapsed, optimizer.State.Step);
            history.Add(record);
            reporter.EpochEnd(record, rowsSeen);
            Info(new TrainingProgress(epoch, optimizer.State.Step, rowsSeen, trainingLoss, validationLoss, validationAccuracy, learningRate, clock.Elapsed, rowsSeen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), true).ToString());

            if (stopped)
            {
                string unit = checkRows > 0 ? $"check(s) of {checkRows} rows" : "epoch(s)";
                stopReason = validationLoss is null
                    ? $"converged: the training objective improved by less than {_settings.ConvergenceTolerance:G3} (relative) for {_settings.EarlyStoppingPatience} {unit}"
                    : $"early stopping: the validation loss did not improve by {_settings.ConvergenceTolerance:G3} (relative) for {_settings.EarlyStoppingPatience} {unit}";
                break;
            }
        }

        int completed = Math.Min(epoch, _settings.NumberOfEpochs);
        standardization.ToRaw(monitor.BestParameters ?? parameters, rawParameters);
        var canonical = ParameterLayout.ToCanonical(shape, rawParameters);
        var resume = TrainingCheckpoint.Capture(shape, parameters, optimizer.State, completed, rowsSeen, schedule, monitor, history);
        var summary = new TrainingSummary(
            history, completed, monitor.BestEpoch ?? completed, stopReason, scan.Counts, validator?.Counts, kernels,
            gradients.Threads, sparse, shape.FeatureCount, _columns.ClassCount, clock.Elapsed);
        Info($"Finished after {completed} epoch(s) in {clock.Elapsed.TotalSeconds:F2}s: {stopReason}; rows {summary.TrainingRows}.");
        return new TrainingResult(shape, canonical, summary, resume);
    }

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

    private RowStream OpenEpoch(IDataView train, HoldoutSplit? split, RowSelection selection, float[] classWeights, int epoch)
    {
        if (!_settings.Shuffle)
        {
            return new RowStream(train, _columns, null, split, selection, classWeights);
        }

        int seed = TrainingMath.EpochSeed(_settings.Seed, epoch);
        if (train.CanShuffle)
        {
            return new RowStream(train, _columns, new Random(seed), split, selection, classWeights);
        }

        // A view that cannot shuffle itself (for example a text loader's) gets ML.NET's streaming pool shuffle.
        var shuffled = _context.Data.ShuffleRows(train, seed, shufflePoolSize: 1000, shuffleSource: false);
        return new RowStream(shuffled, _columns, null, split, selection, classWeights);
    }

    private InvalidOperationException Diverged(int epoch, long step, string what) =>
        new($"Training diverged: {what} became non-finite at epoch {epoch}, step {step}. Try a lower LearningRate (now {_settings.LearningRate}), " +
            "gradient clipping (GradientClipNorm), or normalizing the features (for example NormalizeMeanVariance). The data and options were not changed.");

    private void Info(string message) => _channel?.Info(MessageSensitivity.None, message);

    private bool Log(string message)
    {
        Info(message);
        return true;
    }

    private void Warn(string message) => _channel?.Warning(MessageSensitivity.None, message);
}

