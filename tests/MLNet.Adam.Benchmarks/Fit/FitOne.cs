using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>
/// One fit in this (fresh) process: load and featurize the data, cache it in memory with one full pass (except the
/// streamed set), then time only <c>trainer.Fit</c>, then evaluate on the test rows.
/// </summary>
internal static class FitOne
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static int Run(FitArguments arguments)
    {
        string dataset = arguments.Datasets[0], trainer = arguments.Trainers[0];
        var prepare = Stopwatch.StartNew();
        var ml = new MLContext(FitDatasets.Seed);
        if (arguments.Log)
        {
            ml.Log += (_, e) =>
            {
                if (e.Source.Contains("Adam", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine(e.Message);
                }
            };
        }

        var data = FitDatasets.Load(ml, dataset, arguments.CacheDirectory);
        var train = data.Train;
        long rows = data.IsStreamed ? FitDatasets.StreamedRows : 0;
        if (!data.IsStreamed)
        {
            train = ml.Data.Cache(train);
            rows = FillCache(train);
        }

        var fitter = FitTrainers.Create(ml, trainer, data.IsMulticlass, arguments.AdamSettings);
        prepare.Stop();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = CurrentWorkingSet();
        bool peakReset = TryResetPeak();
        var clock = Stopwatch.StartNew();
        var model = fitter.Fit(train);
        clock.Stop();
        long peak = PeakWorkingSet();

        var run = new FitRun
        {
            Dataset = dataset, Trainer = trainer, TrainerName = fitter.Name, FitSeconds = clock.Elapsed.TotalSeconds,
            TrainingRows = rows, FeatureCount = ((VectorDataViewType)train.Schema["Features"].Type).Size,
            WorkingSetBeforeFitBytes = before, PeakWorkingSetBytes = peak, PeakScope = peakReset ? "fit" : "process",
            PrepareSeconds = prepare.Elapsed.TotalSeconds, AdamSettings = trainer is "adam" or "adam1" ? [.. arguments.AdamSettings] : [],
        };
        Evaluate(ml, model.Transform(data.Test), data.IsMulticlass, run);
        if (fitter.Summary() is { } summary)
        {
            run.Epochs = summary.Epochs;
            run.StopReason = summary.StopReason;
            run.Summary = summary.GetType().GetProperties()
                .Where(p => IsSimple(p.PropertyType))
                .ToDictionary(p => p.Name, p => string.Format(CultureInfo.InvariantCulture, "{0}", p.GetValue(summary)));
        }

        if (arguments.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(run, Json));
        }
        else
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{dataset} / {run.TrainerName}: fit {run.FitSeconds:F3} s, test log-loss {run.TestLogLoss:F4}, accuracy {run.Accuracy:F4}, peak working set {run.PeakWorkingSetBytes / 1048576.0:F0} MiB ({run.PeakScope}), {rows:N0} x {run.FeatureCount}") +
                (run.Epochs is int e ? $", {e} epochs, stop: {run.StopReason}" : string.Empty));
        }

        return 0;
    }

    /// <summary>One pass with every column active: the cache stores each row as the cursor reads it.</summary>
    private static long FillCache(IDataView cached)
    {
        long rows = 0;
        using var cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }

    private static void Evaluate(MLContext ml, IDataView scored, bool multiclass, FitRun run)
    {
        if (multiclass)
        {
            var metrics = ml.MulticlassClassification.Evaluate(scored);
            run.TestLogLoss = metrics.LogLoss;
            run.Accuracy = metrics.MicroAccuracy;
            run.MacroAccuracy = metrics.MacroAccuracy;
        }
        else
        {
            var metrics = ml.BinaryClassification.Evaluate(scored);
            run.TestLogLoss = metrics.LogLoss;
            run.Accuracy = metrics.Accuracy;
            run.Auc = metrics.AreaUnderRocCurve;
        }
    }

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal) ||
        (Nullable.GetUnderlyingType(type) is { } inner && IsSimple(inner));

    private static long CurrentWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Linux: writing 5 to /proc/self/clear_refs resets the peak resident set (VmHWM) to the current one.</summary>
    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }
}
