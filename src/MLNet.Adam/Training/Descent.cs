using System.Diagnostics;
using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>What one run of <see cref="Descent"/> ended with.</summary>
internal sealed record DescentOutcome(
    float[] Parameters, float[]? BestParameters, AdamState State, int Epochs, long RowsSeen, LearningRateSchedule Schedule,
    ConvergenceMonitor Monitor, IReadOnlyList<EpochRecord> History, string StopReason, double? BestValidationLoss);

/// <summary>
/// The mini-batch loop: batches from an <see cref="IBatchSource"/>, loss and gradient of the raw-space weights,
/// L2 on the raw weights (L-BFGS's meaning), the chain rule into the standardized parameters, clipping, the
/// schedule, the Adam step; at every epoch end (and every <c>checkRows</c> rows on large data) the monitored loss
/// drives the plateau schedule and the convergence test.
/// </summary>
internal sealed class Descent
{
    private readonly TrainingSettings _settings;
    private readonly ModelShape _shape;
    private readonly Standardization _standardization;
    private readonly ShardedGradient _gradients;
    private readonly KernelChoice _plan;
    private readonly float _l2;
    private readonly double _totalWeight;
    private readonly int _maxEpochs;
    private readonly Stopwatch _clock;
    private readonly Action<string> _info;

    public Descent(
        TrainingSettings settings, ModelShape shape, Standardization standardization, ShardedGradient gradients, KernelChoice plan,
        float l2, double totalWeight, int maxEpochs, Stopwatch clock, Action<string> info)
    {
        _settings = settings;
        _shape = shape;
        _standardization = standardization;
        _gradients = gradients;
        _plan = plan;
        _l2 = l2;
        _totalWeight = totalWeight;
        _maxEpochs = maxEpochs;
        _clock = clock;
        _info = info;
    }

    /// <summary>Relative tolerance of the convergence test (the option's value unless set).</summary>
    public double Tolerance { get; init; } = double.NaN;

    /// <summary>
    /// The training rows themselves, evaluated at every epoch end for the monitored objective (small packed data):
    /// the exact objective of the epoch's final weights, instead of the mean of the batch losses taken while the
    /// weights moved, so that sampling noise does not lower the learning rate early and stop training short.
    /// </summary>
    public Validator? TrainingRows { get; init; }

    /// <summary>Whether epoch ends are logged and reported as progress (the final fit) or not (the L2 path).</summary>
    public bool Quiet { get; init; }

    public DescentOutcome Run(IBatchSource source, Validator? validator, float[] parameters, TrainingCheckpoint? checkpoint, long stepsPerEpoch, long checkRows, CancellationToken token)
    {
        double tolerance = double.IsNaN(Tolerance) ? _settings.ConvergenceTolerance : Tolerance;
        var hyperparameters = new AdamHyperparameters
        {
            LearningRate = _settings.LearningRate,
            Beta1 = _settings.Beta1,
            Beta2 = _settings.Beta2,
            Epsilon = _settings.Epsilon,
            Amsgrad = _settings.Amsgrad,
            L2Regularization = 0f, // applied in the raw space below, with ML.NET's meaning
            L1Regularization = (float)(_settings.L1Regularization / _totalWeight),
            WeightDecay = _settings.WeightDecay,
            RegularizeBias = _settings.RegularizeBias,
        }.Validate();
        var optimizer = checkpoint is not null
            ? new AdamOptimizer(hyperparameters, checkpoint.OptimizerState.Clone(), _shape.WeightCount, _plan.Update)
            : new AdamOptimizer(hyperparameters, _shape.ParameterCount, _shape.WeightCount, _plan.Update);

        var schedule = ScheduleFactory.Create(_settings, stepsPerEpoch);
        var monitor = new ConvergenceMonitor(tolerance, _settings.EarlyStoppingPatience, keepBest: validator is not null);
        checkpoint?.RestoreInto(schedule, monitor);

        // Without standardization the kernels read the optimized parameters themselves (no copy per step).
        var rawParameters = _standardization.IsIdentity ? parameters : new float[_shape.ParameterCount];
        var gradient = new float[_shape.ParameterCount];
        var reporter = new ProgressReporter(Quiet ? null : _settings.Progress, _settings.ProgressInterval, _clock);
        var history = new List<EpochRecord>(checkpoint?.History ?? []);
        int firstEpoch = (checkpoint?.EpochsCompleted ?? 0) + 1;
        long rowsSeen = checkpoint?.RowsSeen ?? 0;
        string stopReason = $"reached the maximum of {_maxEpochs} epochs";
        int epoch = firstEpoch - 1;
        float learningRate = schedule.GetLearningRate(optimizer.State.Step);
        int regularizedCount = _settings.RegularizeBias ? _shape.ParameterCount : _shape.WeightCount;
        float l2PerWeight = (float)(_l2 / _totalWeight);
        double periodLoss = 0, periodWeight = 0;
        long periodRows = 0;
        bool stopped = false;
        double? bestValidation = null;

        bool Converged(double monitored, int atEpoch)
        {
            schedule.ReportMetric(monitored);
            bool atFloor = schedule is not ReduceOnPlateauSchedule plateau || plateau.CurrentLearningRate <= plateau.MinLearningRate;
            return monitor.Observe(monitored, parameters, atEpoch, atFloor);
        }

        double Objective(double loss) =>
            loss + TrainingMath.RegularizationTerm(rawParameters, regularizedCount, _settings.L1Regularization, _l2, _totalWeight);

        for (epoch = firstEpoch; epoch <= _maxEpochs; epoch++)
        {
            double epochLoss = 0, epochWeight = 0;
            source.BeginEpoch(epoch);
            try
            {
                while (source.Next() is { } current)
                {
                    token.ThrowIfCancellationRequested();
                    double batchWeight = current.TotalWeight();
                    if (!(batchWeight > 0))
                    {
                        continue;
                    }

                    ToRaw(parameters, rawParameters);
                    double loss = _gradients.Compute(current, rawParameters, gradient);
                    if (!double.IsFinite(loss))
                    {
                        throw Diverged(epoch, optimizer.State.Step + 1, "the training loss");
                    }

                    TrainingMath.ScaleInPlace(gradient, (float)(1 / batchWeight));
                    TrainingMath.AddL2(gradient, rawParameters, l2PerWeight, regularizedCount);
                    _standardization.GradientToStandardized(gradient);
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
                            ToRaw(parameters, rawParameters);
                            stopped = Converged(Objective(periodLoss / periodWeight), epoch);
                            (periodLoss, periodWeight, periodRows) = (0, 0, 0);
                            if (stopped)
                            {
                                break;
                            }
                        }
                    }
                }
            }
            finally
            {
                source.EndEpoch();
            }

            if (!TrainingMath.AllFinite(parameters))
            {
                throw Diverged(epoch, optimizer.State.Step, "the model weights");
            }

            double trainingLoss = epochWeight > 0 ? epochLoss / epochWeight : double.NaN;
            ToRaw(parameters, rawParameters);
            LossSummary? validationSummary = validator?.Evaluate(rawParameters, token);
            double? validationLoss = validationSummary is { TotalWeight: > 0 } v ? v.WeightedLoss / v.TotalWeight : null;
            double? validationAccuracy = validationSummary is { TotalWeight: > 0 } a ? a.CorrectWeight / a.TotalWeight : null;
            if (validationLoss is { } vl && !double.IsFinite(vl))
            {
                throw Diverged(epoch, optimizer.State.Step, "the validation loss");
            }

            if (validationLoss is { } best && !(best >= bestValidation))
            {
                bestValidation = best;
            }

            double monitoredTraining = trainingLoss;
            if (validationLoss is null && TrainingRows is { } exact)
            {
                var whole = exact.Evaluate(rawParameters, token);
                monitoredTraining = whole.WeightedLoss / whole.TotalWeight;
            }

            double monitored = validationLoss ?? Objective(monitoredTraining);
            stopped = stopped || (checkRows == 0 && Converged(monitored, epoch));
            var record = new EpochRecord(epoch, trainingLoss, validationLoss, validationAccuracy, learningRate, _clock.Elapsed, optimizer.State.Step);
            history.Add(record);
            if (!Quiet)
            {
                reporter.EpochEnd(record, rowsSeen);
                _info(new TrainingProgress(epoch, optimizer.State.Step, rowsSeen, trainingLoss, validationLoss, validationAccuracy, learningRate, _clock.Elapsed, rowsSeen / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9), true).ToString());
            }

            if (stopped)
            {
                string unit = checkRows > 0 ? $"check(s) of {checkRows} rows" : "epoch(s)";
                stopReason = validationLoss is null
                    ? $"converged: the training objective improved by less than {tolerance:G3} (relative) for {_settings.EarlyStoppingPatience} {unit}"
                    : $"early stopping: the validation loss did not improve by {tolerance:G3} (relative) for {_settings.EarlyStoppingPatience} {unit}";
                break;
            }
        }

        int completed = Math.Min(epoch, _maxEpochs);
        return new DescentOutcome(parameters, monitor.BestParameters, optimizer.State, completed, rowsSeen, schedule, monitor, history, stopReason, bestValidation);
    }

    private void ToRaw(float[] parameters, float[] raw)
    {
        if (!ReferenceEquals(parameters, raw))
        {
            _standardization.ToRaw(parameters, raw);
        }
    }

    private InvalidOperationException Diverged(int epoch, long step, string what) =>
        new($"Training diverged: {what} became non-finite at epoch {epoch}, step {step}. Try a lower LearningRate (now {_settings.LearningRate}), " +
            "gradient clipping (GradientClipNorm), or normalizing the features (for example NormalizeMeanVariance). The data and options were not changed.");
}
