using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Reliability.Fuzz;

/// <summary>
/// Runs one <see cref="FuzzCase"/> through the public API and checks the invariants every Fit must keep, whatever
/// its input. Returns the violations found (empty when the case behaved).
/// </summary>
public static class FuzzRunner
{
    /// <summary>How long after Fit returned a late read or report would still be noticed.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(15);

    public static List<string> Run(FuzzCase c, out string outcome)
    {
        var violations = new List<string>();
        var ml = new MLContext(c.Seed);
        var train = new InstrumentedDataView(c.Rows, c.Features, c.Classes == 0 ? null : c.Classes, c.HasWeight, c.CanShuffle, c.TrainFault);
        var validation = c.ValidationRows is null ? null
            : new InstrumentedDataView(c.ValidationRows, c.Features, c.Classes == 0 ? null : c.Classes, c.HasWeight, c.CanShuffle, c.ValidationFault);
        using var cancellation = new CancellationTokenSource();
        int reports = 0, reportsAfterReturn = 0;
        bool returned = false;
        var progress = new Reporter(_ =>
        {
            if (Volatile.Read(ref returned))
            {
                Interlocked.Increment(ref reportsAfterReturn);
            }

            if (c.Cancellation == CancellationPlan.FromProgress && Interlocked.Increment(ref reports) == c.CancelAtReport)
            {
                cancellation.Cancel();
            }
        });

        void Configure(AdamTrainerOptionsBase o)
        {
            c.Options(o);
            o.CancellationToken = cancellation.Token;
            o.Progress = progress;
            o.ProgressInterval = TimeSpan.Zero;
        }

        if (c.Cancellation == CancellationPlan.BeforeFit)
        {
            cancellation.Cancel();
        }

        ITransformer? model = null;
        Exception? error = null;
        IEstimator<ITransformer>? trainer = null;
        try
        {
            trainer = (c.Classes == 0 ? TrainerCase.Binary : TrainerCase.Multiclass).Create(ml, Configure);
            if (c.Cancellation == CancellationPlan.FromAnotherThread)
            {
                cancellation.CancelAfter(c.CancelAfter);
            }

            model = validation is null ? trainer.Fit(train) : Fit(trainer, train, validation);
        }
        catch (Exception e)
        {
            error = e;
        }

        // Everything below is "after Fit returned or threw".
        Volatile.Write(ref returned, true);
        train.Seal();
        validation?.Seal();
        int openedAtReturn = train.Opened, disposedAtReturn = train.Disposed;
        int validationOpened = validation?.Opened ?? 0, validationDisposed = validation?.Disposed ?? 0;
        Thread.Sleep(Quiet);

        if (openedAtReturn != disposedAtReturn)
        {
            violations.Add($"training view: {openedAtReturn} cursors opened, {disposedAtReturn} disposed when Fit {(error is null ? "returned" : "threw")}");
        }

        if (validationOpened != validationDisposed)
        {
            violations.Add($"validation view: {validationOpened} cursors opened, {validationDisposed} disposed when Fit {(error is null ? "returned" : "threw")}");
        }

        if (train.ReadsAfterSeal + (validation?.ReadsAfterSeal ?? 0) > 0)
        {
            violations.Add($"{train.ReadsAfterSeal + (validation?.ReadsAfterSeal ?? 0)} reads from the data after Fit {(error is null ? "returned" : "threw")}: a thread kept running");
        }

        if (reportsAfterReturn > 0)
        {
            violations.Add($"{reportsAfterReturn} progress reports after Fit {(error is null ? "returned" : "threw")}: a thread kept running");
        }

        if (c.Cancellation == CancellationPlan.BeforeFit && train.RowsRead + (validation?.RowsRead ?? 0) > 0 && error is OperationCanceledException)
        {
            violations.Add($"the token was cancelled before Fit, yet {train.RowsRead + (validation?.RowsRead ?? 0)} rows were read before it threw");
        }

        bool faulted = train.FaultThrown || (validation?.FaultThrown ?? false);
        outcome = error is null ? "model" : $"{error.GetType().Name}: {Classify(error.Message)}";
        if (error is null)
        {
            CheckModel(c, trainer!, model!, train, validation, faulted, cancellation.IsCancellationRequested, violations);
        }
        else
        {
            CheckError(c, error, faulted, cancellation.IsCancellationRequested, violations);
        }

        return violations;
    }

    private static ITransformer Fit(IEstimator<ITransformer> trainer, IDataView train, IDataView validation) => trainer switch
    {
        AdamLogisticRegressionBinaryTrainer b => b.Fit(train, validation),
        AdamMaximumEntropyMulticlassTrainer m => m.Fit(train, validation),
        _ => throw new InvalidOperationException("unknown trainer"),
    };

    private static void CheckModel(
        FuzzCase c, IEstimator<ITransformer> trainer, ITransformer model, InstrumentedDataView train, InstrumentedDataView? validation, bool faulted, bool cancelled, List<string> violations)
    {
        if (faulted)
        {
            violations.Add("the data view threw IOException, yet Fit returned a model");
        }

        if (c.Cancellation == CancellationPlan.BeforeFit)
        {
            violations.Add("the token was cancelled before Fit, yet Fit returned a model");
        }

        var weights = (c.Classes == 0 ? TrainerCase.Binary : TrainerCase.Multiclass).Weights(model);
        if (!weights.All(float.IsFinite))
        {
            violations.Add($"the model has non-finite parameters: {string.Join(", ", weights.Where(w => !float.IsFinite(w)).Take(5))}");
        }

        var rows = c.Rows;
        var all = c.ValidationRows is null ? rows : rows.Concat(c.ValidationRows).ToList();
        if (all.Any(c.HasBadKey))
        {
            violations.Add("a key label above the key count was read, yet Fit returned a model");
        }

        if (all.Any(r => !c.HasBadKey(r) && c.ReachesFeatures(r) && c.HasBadShape(r)))
        {
            violations.Add("a sparse index outside the vector (or a vector of the wrong length) was read, yet Fit returned a model");
        }

        var summary = trainer switch
        {
            AdamLogisticRegressionBinaryTrainer b => b.GetFitResult(model)?.Summary,
            AdamMaximumEntropyMulticlassTrainer m => m.GetFitResult(model)?.Summary,
            _ => null,
        };
        if (summary is null)
        {
            violations.Add("Fit returned without a training summary");
            return;
        }

        var counts = summary.TrainingRows;
        if (counts.Read != counts.Used + counts.HeldOut + counts.Skipped || counts.Used <= 0)
        {
            violations.Add($"training row counts do not add up: {counts}");
        }

        var probe = new AdamLogisticRegressionBinaryTrainer.Options();
        c.Options(probe);
        bool split = validation is null && probe.ValidationFraction > 0;
        if (!split)
        {
            long missing = c.Classes == 0 ? 0 : rows.Count(r => r.Key == 0);
            long badWeight = c.HasWeight ? rows.Count(r => (c.Classes == 0 || r.Key != 0) && !(r.Weight >= 0 && float.IsFinite(r.Weight))) : 0;
            long nonFinite = rows.Count(r => c.ReachesFeatures(r) && !r.Values.All(float.IsFinite));
            if (counts.Read != rows.Count || counts.SkippedMissingLabel != missing || counts.SkippedInvalidWeight != badWeight || counts.SkippedNonFiniteFeatures != nonFinite)
            {
                violations.Add($"training row counts {counts} differ from the data: {rows.Count} rows, {missing} missing labels, {badWeight} invalid weights, {nonFinite} non-finite");
            }
        }

        if (validation is not null)
        {
            var v = summary.ValidationRows;
            if (v is null || v.Read != c.ValidationRows!.Count || v.Read != v.Used + v.Skipped)
            {
                violations.Add($"validation row counts {v?.ToString() ?? "missing"} do not add up over {c.ValidationRows!.Count} rows");
            }
        }
    }

    private static void CheckError(FuzzCase c, Exception error, bool faulted, bool cancelled, List<string> violations)
    {
        string what = $"{error.GetType().FullName}: {error.Message}";
        switch (error)
        {
            case OperationCanceledException when !cancelled:
                violations.Add($"cancelled without a cancellation request: {what}");
                break;
            case OperationCanceledException:
                break;
            case IOException when error.GetType() != typeof(IOException) || !error.Message.StartsWith(InstrumentedDataView.InjectedMessage, StringComparison.Ordinal):
                violations.Add($"an IOException that is not the source's own: {what}");
                break;
            case IOException when !faulted:
                violations.Add($"IOException without an injected fault: {what}");
                break;
            case IOException:
                break;
            case ArgumentException a when !NamesOption(a):
                violations.Add($"an ArgumentException that names no option or column (ParamName '{a.ParamName}'): {what}\n{error.StackTrace}");
                break;
            case ArgumentException:
                break;
            case InvalidOperationException when !Names(error.Message):
                violations.Add($"an InvalidOperationException that names no column, option, row or epoch: {what}");
                break;
            case InvalidOperationException:
                break;
            default:
                violations.Add($"an exception of a type Fit must not throw: {what}\n{error.StackTrace}");
                break;
        }

        if (faulted && error is not IOException && error is not OperationCanceledException && FindInjected(error) is { } inner)
        {
            violations.Add($"the source's IOException was wrapped in {error.GetType().Name}: {error.Message} (inner: {inner.Message})");
        }
    }

    // The message without its numbers, so that outcomes group by kind in the run's summary.
    private static string Classify(string message)
    {
        string first = message.Split('\n')[0];
        first = first.Length > 70 ? first[..70] : first;
        return System.Text.RegularExpressions.Regex.Replace(first, "[0-9][0-9.,E+-]*", "#");
    }

    // The message proper, without the " (Parameter 'x')" suffix that every ArgumentException adds.
    private static bool NamesOption(ArgumentException a)
    {
        if (string.IsNullOrEmpty(a.ParamName))
        {
            return false;
        }

        string text = a.Message.Replace($" (Parameter '{a.ParamName}')", string.Empty, StringComparison.Ordinal);
        return text.Contains(a.ParamName, StringComparison.Ordinal) || text.Contains("column '", StringComparison.Ordinal);
    }

    private static bool Names(string message) =>
        new[] { "column '", "Option ", "epoch", "validation data", "data row", "checkpoint" }.Any(p => message.Contains(p, StringComparison.Ordinal));

    private static Exception? FindInjected(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            if (e is IOException && e.Message.StartsWith(InstrumentedDataView.InjectedMessage, StringComparison.Ordinal))
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the pool and report after Fit).</summary>
    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
