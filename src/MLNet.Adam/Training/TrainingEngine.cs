using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.Adam.Data;

namespace MLNet.Adam.Training;

/// <summary>What a training run starts from: nothing, warm-start parameters, or a checkpoint of an earlier run.</summary>
internal sealed record TrainingStart(float[]? Parameters, TrainingCheckpoint? Checkpoint);

/// <summary>
/// The ML.NET side of a training run: binds the columns, makes the first pass over the rows (<see cref="DataScan"/>),
/// opens cursors for streamed epochs and validation rows, logs to the context's channel and returns the model with its
/// summary and checkpoint. Everything numeric is in the core's <see cref="TrainingRun"/>.
/// </summary>
internal sealed class TrainingEngine(TrainingSettings settings, TrainingColumns columns, IChannel? channel)
{
    public TrainingResult Run(IDataView train, IDataView? validation, TrainingStart start)
    {
        var clock = Stopwatch.StartNew();
        var token = settings.CancellationToken;
        token.ThrowIfCancellationRequested();
        var split = validation is null && settings.ValidationFraction > 0 ? new HoldoutSplit(settings.ValidationFraction, settings.Seed) : null;
        // Balanced class weights need the exact class totals of a full first pass.
        var scan = DataScan.Run(train, columns, split, settings.MemoryBudget, allowPrefix: settings.ClassWeighting != ClassWeighting.Balanced, token);
        if (scan.Counts.Used == 0)
        {
            throw new InvalidOperationException($"No usable training rows in feature column '{columns.Features.Name}' and label column '{columns.Label.Name}': {scan.Counts}.");
        }

        if (scan.EstimatedRows is null)
        {
            WarnSkipped(scan.Counts);
        }

        var classWeights = ClassWeightResolver.Resolve(settings, scan.ClassWeightTotals, out double totalWeight);
        scan.Packed?.ApplyClassWeights(classWeights);
        Info($"Training rows: {scan.Packing}.");
        var checkpoint = start.Checkpoint;
        StreamedEvaluator? streamedValidation = null;
        IRowEvaluator? Validation(TrainingPlan plan, ShardedGradient gradients) => validation is not null
            ? streamedValidation = new StreamedEvaluator(validation, columns.BindValidation(validation.Schema), null, RowSelection.All, gradients, plan.BatchSize, plan.Sparse, RemainingBudget(scan))
            : split is null ? null
            : scan.PackedValidation is { } held ? new PackedEvaluator(held, gradients, plan.BatchSize, plan.Sparse)
            : streamedValidation = new StreamedEvaluator(train, columns, split, RowSelection.Validation, gradients, plan.BatchSize, plan.Sparse, 0);

        // Reading ahead uses a second thread, so it comes with NumberOfThreads >= 2; results do not depend on it.
        CursorBatchSource? cursorSource = null;
        IBatchSource Streamed(TrainingPlan plan) => cursorSource = new CursorBatchSource(
            train, columns, split, split is null ? RowSelection.All : RowSelection.Training, classWeights, plan.BatchSize, plan.Sparse, settings.Shuffle, settings.Seed, readAhead: settings.Threads >= 2);

        var statistics = new RowStatistics(scan.EstimatedRows ?? scan.Counts.Used, scan.ClassWeightTotals, scan.Mean, scan.Variance, scan.NonZeroFraction, scan.Packed);
        var resume = new RunStart(start.Parameters, checkpoint?.State, checkpoint?.Shape, checkpoint?.Map, checkpoint?.L2Regularization);
        var reporter = new ProgressReporter(settings.Progress, settings.ProgressInterval, clock, Info, checkpoint?.History ?? []);
        var run = TrainingRun.Execute(
            statistics, columns.FeatureCount, columns.ClassCount, columns.LabelKind == LabelKind.Boolean, classWeights, totalWeight, settings.ToRunOptions(), resume,
            Streamed, Validation, reporter, Info, Warn, token);

        var outcome = run.Outcome;

        // After a prefix scan only the training passes saw every row: their counts are the ones to report.
        var trainingRows = scan.EstimatedRows is null ? scan.Counts : cursorSource?.Counts ?? cursorSource?.LastCounts ?? scan.Counts;
        if (scan.EstimatedRows is not null)
        {
            WarnSkipped(trainingRows);
        }

        var summary = new TrainingSummary(
            reporter.History, outcome.Epochs, outcome.State.Monitor.BestEpoch ?? outcome.Epochs, outcome.StopReason, trainingRows, streamedValidation?.Counts ?? scan.ValidationCounts,
            run.Kernels, run.ThreadsUsed, run.Plan.Sparse, columns.FeatureCount, columns.ClassCount, clock.Elapsed)
        {
            Packing = scan.Packing,
            IsPacked = scan.Packed is not null,
            L2Regularization = run.L2.L2,
            LearningRate = run.LearningRate,
            L2Path = PathPoints(run.L2.Path),
            L2SearchTime = run.L2.Elapsed,
        };
        Info($"Finished after {outcome.Epochs} epoch(s) in {clock.Elapsed.TotalSeconds:F2}s: {outcome.StopReason}; rows {summary.TrainingRows}.");
        var resumeFrom = TrainingCheckpoint.Capture(run.Plan.Shape, outcome.State, run.Map, reporter.History, run.L2.L2);
        return new TrainingResult(run.Plan.Shape, run.Model, summary, resumeFrom);
    }

    private long RemainingBudget(DataScan scan) =>
        Math.Max(0, settings.MemoryBudget - (scan.Packed?.Bytes ?? 0) - (scan.PackedValidation?.Bytes ?? 0));

    // A loop, not LINQ over the core's value-type points: generic LINQ instantiations are compiled at run time.
    private static L2PathPoint[] PathPoints(IReadOnlyList<L2Point> points)
    {
        var result = new L2PathPoint[points.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new L2PathPoint(points[i].L2, points[i].HeldOutLoss, points[i].Epochs);
        }

        return result;
    }

    private void WarnSkipped(RowCounts counts)
    {
        if (counts.Skipped > 0)
        {
            Warn($"Skipped {counts.Skipped} of {counts.Read} rows: {counts}.");
        }
    }

    private void Info(string message) => channel?.Info(MessageSensitivity.None, message);

    private void Warn(string message) => channel?.Warning(MessageSensitivity.None, message);
}
