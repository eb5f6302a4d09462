using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Featurization;
using MLNet.Adam.Compare.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Compare.Evaluation;

/// <summary>Fits one trainer configuration on one prepared split, measures it, and evaluates it on the split's test rows.</summary>
internal sealed class TrainerEvaluator(TrainerSetup setup, Action<string> status)
{
    private readonly MLContext _context = setup.Context;
    private readonly TaskKind _task = setup.Task;

    /// <summary>
    /// ML.NET's binary evaluator reports log-loss in bits (base-2 logarithm) while its multiclass evaluator and our
    /// trainer's validation loss use the natural logarithm; every log-loss of this tool is in nats.
    /// </summary>
    public static readonly double BitsToNats = Math.Log(2);

    /// <summary>Rows of the untimed warm-up fit.</summary>
    public const int WarmupRows = 500;

    /// <summary>
    /// An untimed fit on a few rows, so that the timed fits do not pay for JIT compilation and one-time setup; without
    /// it the first trainer in the list looks seconds slower than it is.
    /// </summary>
    public void WarmUp(TrainerSpec spec, TrainerConfig config, PreparedSplit split)
    {
        status($"{spec.Id}: warm-up");
        // Cached: over a streamed (--no-cache) split each of SDCA's many passes over the few rows would reopen the source file.
        var rows = _context.Data.Cache(_context.Data.TakeRows(split.Train, WarmupRows));
        spec.Create(setup, config, null).Fit(rows, null);
    }

    public (FoldResult Result, ITransformer Model) Run(TrainerSpec spec, TrainerConfig config, PreparedSplit split, string caption)
    {
        var run = spec.Create(setup, config, ProgressFor(spec, caption));
        status($"{caption}: training");
        var (model, seconds, allocated, peak) = FitMeter.Measure(() => run.Fit(split.Train, null));
        status($"{caption}: evaluating");
        var scored = model.Transform(split.Test);
        using var zip = new MemoryStream();
        _context.Model.Save(model, split.Train.Schema, zip);
        int? epochs = run.Summary?.Epochs;
        if (_task == TaskKind.Binary)
        {
            var (accuracy, auc, logLoss, undefined) = EvaluateBinary(scored);
            return (new FoldResult(split.Index, accuracy, auc, null, logLoss, seconds, allocated, peak, zip.Length, epochs, undefined), model);
        }

        var multiclass = _context.MulticlassClassification.Evaluate(scored);
        return (new FoldResult(split.Index, multiclass.MicroAccuracy, null, multiclass.MacroAccuracy, multiclass.LogLoss, seconds, allocated, peak, zip.Length, epochs), model);
    }

    /// <summary>
    /// Accuracy, AUC and log-loss (nats) of binary scores. ML.NET's evaluator throws when the test rows hold one class
    /// only (AUC is not defined then); accuracy and log-loss still are, so they are computed here and AUC is reported as
    /// not defined, with the reason.
    /// </summary>
    private (double Accuracy, double? Auc, double LogLoss, string? AucUndefined) EvaluateBinary(IDataView scored)
    {
        long rows = 0, positives = 0;
        foreach (var label in scored.GetColumn<bool>(LabelPlan.LabelColumn))
        {
            rows++;
            positives += label ? 1 : 0;
        }

        if (positives > 0 && positives < rows)
        {
            var metrics = _context.BinaryClassification.Evaluate(scored);
            return (metrics.Accuracy, metrics.AreaUnderRocCurve, metrics.LogLoss * BitsToNats, null);
        }

        var labels = scored.GetColumn<bool>(LabelPlan.LabelColumn).ToList();
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToList();
        var probabilities = scored.GetColumn<float>("Probability").ToList();
        double correct = 0, loss = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
            double p = labels[i] ? probabilities[i] : 1 - probabilities[i];
            loss -= Math.Log(Math.Max(p, LogLossFloor));
        }

        var only = positives > 0 ? "positive" : "negative";
        return (correct / labels.Count, null, loss / labels.Count, $"the test rows are all of the {only} class (AUC needs both classes)");
    }

    /// <summary>The smallest probability a log-loss term uses, as ML.NET's binary evaluator clips it.</summary>
    private const double LogLossFloor = 1e-15;

    /// <summary>
    /// A separate Adam fit on the split with its test rows passed as validation data, so that the trainer reports the
    /// test log-loss after every epoch. Validation data also drives Adam's early stopping and best-epoch choice, so this
    /// fit only draws the curve; the leaderboard's Adam model never sees the test rows. It is timed like every
    /// leaderboard fit, and each point's time is the wall time since its Fit call started, read when the epoch-end
    /// progress report arrives, so the curve, its own end point and the leaderboard point share one clock.
    /// </summary>
    public (IReadOnlyList<CurvePoint> Curve, int Epochs, double FitSeconds, double TestLogLoss) Curve(TrainerSpec spec, TrainerConfig config, PreparedSplit split)
    {
        const string caption = "adam per-epoch test curve";
        var points = new List<CurvePoint>();
        var clock = new System.Diagnostics.Stopwatch();
        var show = ProgressFor(spec, caption);
        var progress = new ImmediateProgress<TrainingProgress>(p =>
        {
            if (p.IsEpochEnd && p.ValidationLoss is { } loss)
            {
                points.Add(new CurvePoint(p.Epoch, clock.Elapsed.TotalSeconds, loss));
            }

            show?.Report(p);
        });
        var run = spec.Create(setup, config, progress);
        status($"{caption}: training");
        var (model, seconds, _, _) = FitMeter.Measure(() =>
        {
            clock.Start();
            return run.Fit(split.Train, split.Test);
        });
        var scored = model.Transform(split.Test);
        double testLogLoss = _task == TaskKind.Binary ? EvaluateBinary(scored).LogLoss : _context.MulticlassClassification.Evaluate(scored).LogLoss;
        return (points, run.Summary?.Epochs ?? points.Count, seconds, testLogLoss);
    }

    private IProgress<TrainingProgress>? ProgressFor(TrainerSpec spec, string caption) =>
        spec.ReportsEpochs
            ? new ImmediateProgress<TrainingProgress>(p => status(
                $"{caption}: epoch {p.Epoch}, training loss {p.TrainingLoss:F4}" +
                (p.ValidationLoss is { } v ? $", test loss {v:F4}" : string.Empty) + $", {p.Elapsed.TotalSeconds:F1}s, {p.RowsPerSecond:F0} rows/s"))
            : null;

    /// <summary>Reports on the training thread: <see cref="Progress{T}"/> would post to the thread pool and reorder updates.</summary>
    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
