using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;
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
            var metrics = _context.BinaryClassification.Evaluate(scored);
            double nats = metrics.LogLoss * BitsToNats;
            return (new FoldResult(split.Index, metrics.Accuracy, metrics.AreaUnderRocCurve, null, nats, seconds, allocated, peak, zip.Length, epochs), model);
        }

        var multiclass = _context.MulticlassClassification.Evaluate(scored);
        return (new FoldResult(split.Index, multiclass.MicroAccuracy, null, multiclass.MacroAccuracy, multiclass.LogLoss, seconds, allocated, peak, zip.Length, epochs), model);
    }

    /// <summary>
    /// A separate Adam run on the split with its test rows passed as validation data, so that the trainer reports
    /// the test log-loss after every epoch. Validation data also drives Adam's early stopping and best-epoch choice,
    /// so this run only draws the curve; the leaderboard's Adam model never sees the test rows.
    /// </summary>
    public IReadOnlyList<CurvePoint> Curve(TrainerSpec spec, TrainerConfig config, PreparedSplit split)
    {
        var run = spec.Create(setup, config, ProgressFor(spec, "adam per-epoch test curve"));
        run.Fit(split.Train, split.Test);
        var history = run.Summary?.History ?? [];
        return [.. history.Where(e => e.ValidationLoss is not null).Select(e => new CurvePoint(e.Epoch, e.Elapsed.TotalSeconds, e.ValidationLoss!.Value))];
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
