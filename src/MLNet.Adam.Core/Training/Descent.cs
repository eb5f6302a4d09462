using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>Sums the loss and accuracy of a fixed set of rows for given raw-space parameters (validation, held-out or training rows).</summary>
internal interface IRowEvaluator
{
    /// <summary>The summed weighted loss, weight and correctly classified weight of the rows.</summary>
    LossSummary Evaluate(float[] rawParameters, CancellationToken token);
}

/// <summary>Receives what a run of <see cref="Descent"/> does, for progress reports and logs.</summary>
internal interface IDescentObserver
{
    /// <summary>After each step: the epoch, the optimizer's step count, the rows seen and the epoch's mean batch loss so far.</summary>
    void Step(int epoch, long step, long rowsSeen, double epochMeanLoss, float learningRate);

    /// <summary>At each epoch end.</summary>
    void EpochEnd(DescentEpoch epoch);
}

/// <summary>One finished epoch of <see cref="Descent"/>.</summary>
internal readonly record struct DescentEpoch(int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationAccuracy, float LearningRate, long Steps, long RowsSeen);

/// <summary>Everything a run needs to continue exactly where another stopped (θ, optimizer, schedule, monitor, counters); the arrays are not copies.</summary>
internal sealed record DescentState(float[] Parameters, AdamState Optimizer, int EpochsCompleted, long RowsSeen, byte[] ScheduleState, MonitorState Monitor);

/// <summary>What one run of <see cref="Descent"/> ended with.</summary>
internal sealed record DescentOutcome(float[] Parameters, float[]? BestParameters, DescentState State, int Epochs, string StopReason, double? BestValidationLoss);

/// <summary>The settings of the step loop, validated by whoever builds them (the trainers' options snapshot).</summary>
/// <param name="Adam">The optimizer's hyperparameters; the penalties in them are set by the objective.</param>
/// <param name="GradientClipNorm">Global-norm clipping of each step's gradient (0: none).</param>
/// <param name="Tolerance">Relative tolerance of the convergence test.</param>
/// <param name="Patience">Checks without improvement (at the schedule's floor) before stopping.</param>
/// <param name="MaxEpochs">The epoch maximum.</param>
/// <param name="CreateSchedule">The learning-rate schedule for a number of steps per epoch and a relative tolerance (of plateau detection).</param>
/// <param name="Update">The Adam update kernel.</param>
internal sealed record DescentSettings(
    AdamHyperparameters Adam, float GradientClipNorm, double Tolerance, int Patience, int MaxEpochs, Func<long, double, LearningRateSchedule> CreateSchedule, IAdamUpdateKernel Update);

/// <summary>
/// The step loop: batches pulled from an <see cref="IBatchSource"/>, the objective's gradient in θ space
/// (<see cref="LinearObjective.Gradient"/>), clipping, the schedule's rate, the Adam step; at every epoch end (and
/// every <c>checkRows</c> rows on large data) the monitored value, which is the validation loss when there are
/// validation rows and otherwise the objective itself (<see cref="LinearObjective.Value"/>), goes to the
/// <see cref="ConvergenceMonitor"/>, which drives the schedule and the stop.
/// </summary>
internal sealed class Descent
{
    private readonly DescentSettings _settings;
    private readonly LinearObjective _objective;

    public Descent(DescentSettings settings, LinearObjective objective)
    {
        _settings = settings;

        // Without clipping nothing comes between the gradient and the update, so the update kernel can add the L2 term.
        _objective = settings.GradientClipNorm > 0 ? objective : objective.WithL2InUpdate();
    }

    /// <summary>
    /// The training rows themselves, evaluated at every epoch end for the monitored objective when there is no
    /// validation and checks are at epoch ends (which runs get them: <see cref="TrainingPlan.EvaluatesTrainingRows"/>):
    /// the exact objective of the epoch's final weights, instead of the mean of the batch losses taken while the
    /// weights moved, which lags behind them (each reduction of the learning rate and the stop come late) and on
    /// mini-batches carries their sampling noise into the schedule.
    /// </summary>
    public IRowEvaluator? TrainingRows { get; init; }

    /// <summary>Receives steps and epoch ends; null for runs nobody watches (the L2 path).</summary>
    public IDescentObserver? Observer { get; init; }

    public DescentOutcome Run(IBatchSource source, IRowEvaluator? validator, float[] parameters, DescentState? resume, long stepsPerEpoch, long checkRows, CancellationToken token)
    {
        var shape = _objective.Shape;
        var hyperparameters = _objective.Configure(_settings.Adam);
        var optimizer = resume is not null
            ? new AdamOptimizer(hyperparameters, resume.Optimizer.Clone(), shape.WeightCount, _settings.Update)
            : new AdamOptimizer(hyperparameters, shape.ParameterCount, shape.WeightCount, _settings.Update);

        var schedule = _settings.CreateSchedule(stepsPerEpoch, _settings.Tolerance);
        var monitor = new ConvergenceMonitor(schedule, _settings.Tolerance, _settings.Patience, keepBest: validator is not null);
        if (resume is not null)
        {
            if (resume.ScheduleState.Length > 0)
            {
                using var scheduleStream = new MemoryStream(resume.ScheduleState);
                schedule.LoadState(scheduleStream);
            }

            monitor.Restore(resume.Monitor);
        }

        var gradient = new float[shape.ParameterCount];
        int firstEpoch = (resume?.EpochsCompleted ?? 0) + 1;
        long rowsSeen = resume?.RowsSeen ?? 0;
        int maxEpochs = _settings.MaxEpochs;
        string stopReason = $"reached the maximum of {maxEpochs} epochs";
        int epoch;
        float learningRate = schedule.GetLearningRate(optimizer.State.Step);
        double periodLoss = 0, periodWeight = 0;
        long periodRows = 0;
        bool stopped = false;
        double? bestValidation = null;

        for (epoch = firstEpoch; epoch <= maxEpochs; epoch++)
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

                    double loss = _objective.Gradient(current, parameters, batchWeight, gradient);
                    if (!double.IsFinite(loss))
                    {
                        throw Diverged(epoch, optimizer.State.Step + 1, "the training loss");
                    }

                    if (_settings.GradientClipNorm > 0)
                    {
                        GradientClipping.ClipByGlobalNorm(gradient, _settings.GradientClipNorm);
                    }

                    learningRate = schedule.GetLearningRate(optimizer.State.Step);
                    optimizer.Step(parameters, gradient, learningRate);
                    epochLoss += loss;
                    epochWeight += batchWeight;
                    rowsSeen += current.Count;
                    Observer?.Step(epoch, optimizer.State.Step, rowsSeen, epochLoss / epochWeight, learningRate);
                    if (checkRows > 0)
                    {
                        periodLoss += loss;
                        periodWeight += batchWeight;
                        periodRows += current.Count;
                        if (periodRows >= checkRows)
                        {
                            stopped = monitor.Observe(_objective.Value(periodLoss / periodWeight, parameters), parameters, epoch);
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
            var raw = _objective.Raw(parameters);
            LossSummary? validationSummary = validator?.Evaluate(raw, token);
            if (validationSummary is { TotalWeight: not > 0 })
            {
                throw new InvalidOperationException("The validation rows have no usable rows (their total example weight is 0).");
            }

            double? validationLoss = validationSummary is { } v ? v.WeightedLoss / v.TotalWeight : null;
            double? validationAccuracy = validationSummary is { } a ? a.CorrectWeight / a.TotalWeight : null;
            if (validationLoss is { } vl && !double.IsFinite(vl))
            {
                throw Diverged(epoch, optimizer.State.Step, "the validation loss");
            }

            if (validationLoss is { } best && !(best >= bestValidation))
            {
                bestValidation = best;
            }

            double monitoredLoss = trainingLoss;
            if (validationLoss is null && TrainingRows is { } exact)
            {
                var whole = exact.Evaluate(raw, token);
                monitoredLoss = whole.WeightedLoss / whole.TotalWeight;
            }

            double monitored = validationLoss ?? _objective.Value(monitoredLoss, parameters);
            stopped = stopped || (checkRows == 0 && monitor.Observe(monitored, parameters, epoch));
            Observer?.EpochEnd(new DescentEpoch(epoch, trainingLoss, validationLoss, validationAccuracy, learningRate, optimizer.State.Step, rowsSeen));
            if (stopped)
            {
                string unit = checkRows > 0 ? $"check(s) of {checkRows} rows" : "epoch(s)";
                stopReason = validationLoss is null
                    ? $"converged: the training objective improved by less than {_settings.Tolerance:G3} (relative) for {_settings.Patience} {unit}"
                    : $"early stopping: the validation loss did not improve by {_settings.Tolerance:G3} (relative) for {_settings.Patience} {unit}";
                break;
            }
        }

        int completed = Math.Min(epoch, maxEpochs);
        using var saved = new MemoryStream();
        schedule.SaveState(saved);
        // Not copied: the caller owns these arrays from here on (a checkpoint copies what it keeps).
        var state = new DescentState(parameters, optimizer.State, completed, rowsSeen, saved.ToArray(), monitor.State);
        return new DescentOutcome(parameters, monitor.BestParameters, state, completed, stopReason, bestValidation);
    }

    private InvalidOperationException Diverged(int epoch, long step, string what) =>
        new($"Training diverged: {what} became non-finite at epoch {epoch}, step {step}. Try a lower LearningRate (now {_settings.Adam.LearningRate}), " +
            "gradient clipping (GradientClipNorm), or normalizing the features (for example NormalizeMeanVariance). The data and options were not changed.");
}
