using System.Globalization;
using System.Text;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>The markdown report of a fit benchmark: how it ran, the summary table of issue 11, and the details.</summary>
internal static class FitReport
{
    public sealed record Header(string Command, DateTime Started, string Machine, string Commit, string LoadBefore, int Rounds, IReadOnlyList<string> AdamSettings)
    {
        public DateTime? Finished { get; init; }

        public string? LoadAfter { get; init; }
    }

    public static string Markdown(Header header, IReadOnlyList<string> datasets, IReadOnlyList<string> trainers, IReadOnlyList<FitRun> runs)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("## Fit benchmark").AppendLine();
        text.AppendLine(c, $"- command: `{header.Command}`");
        text.AppendLine(c, $"- date: {header.Started:yyyy-MM-dd HH:mm} to {header.Finished:HH:mm} UTC");
        text.AppendLine(c, $"- machine: {header.Machine}");
        text.AppendLine(c, $"- code: {header.Commit}");
        text.AppendLine(c, $"- load average (1, 5, 15 min): {header.LoadBefore} before, {header.LoadAfter} after");
        text.AppendLine(c, $"- method: every (data, trainer) `Fit` in its own fresh process (JIT included), data featurized and cached in memory " +
            $"before the timed `Fit` (except `streamed`), default options{(header.AdamSettings.Count > 0 ? $" (ours with {string.Join(", ", header.AdamSettings)})" : string.Empty)}; " +
            $"{header.Rounds} interleaved round(s); medians; ratios are of the median fit times");
        text.AppendLine("- log-loss: ML.NET's test log-loss (binary: base 2, as `BinaryClassificationMetrics.LogLoss`; multiclass: nats); accuracy: micro for multiclass");
        text.AppendLine();

        var stats = runs.Where(r => r.Error is null).GroupBy(r => (r.Dataset, r.Trainer)).ToDictionary(g => g.Key, g => new Stats(g.ToList()));
        text.AppendLine("| data | Adam (ours) | L-BFGS | SDCA | Adam / L-BFGS | Adam / SDCA | test log-loss: Adam / L-BFGS / SDCA |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var dataset in datasets)
        {
            Stats? Get(string trainer) => stats.GetValueOrDefault((dataset, trainer));
            var adam = Get("adam");
            var lbfgs = Get("lbfgs");
            var sdca = Get("sdca");
            bool showPeak = dataset == "streamed";
            string Cell(Stats? s, string trainer) => s is null
                ? (trainers.Contains(trainer) && runs.Any(r => r.Dataset == dataset && r.Trainer == trainer) ? "failed" : "-")
                : s.FitSeconds.ToString("F3", c) + " s" + (showPeak ? $", peak {Mib(s.PeakWorkingSet)}" : string.Empty);
            string Ratio(Stats? other) => adam is null || other is null ? "-" : (adam.FitSeconds / other.FitSeconds).ToString("F2", c);
            string Loss(Stats? s) => s is null ? "-" : s.LogLoss.ToString("F4", c);
            text.AppendLine(c, $"| {FitDatasets.Describe(dataset)} | {Cell(adam, "adam")} | {Cell(lbfgs, "lbfgs")} | {Cell(sdca, "sdca")} | {Ratio(lbfgs)} | {Ratio(sdca)} | {Loss(adam)} / {Loss(lbfgs)} / {Loss(sdca)} |");
        }

        if (runs.Any(r => r.Trainer == "adam1" && r.Error is null))
        {
            text.AppendLine();
            text.AppendLine("Threads (ours at the default thread count against `NumberOfThreads = 1`, same run):");
            text.AppendLine();
            text.AppendLine("| data | Adam, default threads | Adam, NumberOfThreads = 1 | default / 1 thread |");
            text.AppendLine("|---|---|---|---|");
            foreach (var dataset in datasets)
            {
                var adam = stats.GetValueOrDefault((dataset, "adam"));
                var single = stats.GetValueOrDefault((dataset, "adam1"));
                if (adam is not null && single is not null)
                {
                    text.AppendLine(c, $"| {dataset} | {adam.FitSeconds:F3} s | {single.FitSeconds:F3} s | {adam.FitSeconds / single.FitSeconds:F2} |");
                }
            }
        }

        text.AppendLine();
        text.AppendLine("| data | trainer | fit s: median (min - max, runs) | test log-loss | accuracy | peak working set during Fit | before Fit | epochs, stop reason |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var dataset in datasets)
        {
            foreach (var trainer in FitArguments.AllTrainers)
            {
                if (stats.TryGetValue((dataset, trainer), out var s))
                {
                    string accuracy = s.Accuracy.ToString("F4", c) + (s.MacroAccuracy is double m ? $" (macro {m:F4})" : string.Empty);
                    string peak = Mib(s.PeakWorkingSet) + (s.Runs.Any(r => r.PeakScope != "fit") ? " (whole process)" : string.Empty);
                    string epochs = s.Epochs is double e ? $"{e:0.#}, {string.Join(" / ", s.Runs.Select(r => r.StopReason).Distinct())}" : "-";
                    text.AppendLine(c, $"| {dataset} | {s.Runs[0].TrainerName} | {s.FitSeconds:F3} ({s.Runs.Min(r => r.FitSeconds):F3} - {s.Runs.Max(r => r.FitSeconds):F3}, {s.Runs.Count}) | " +
                        $"{s.LogLoss:F4} | {accuracy} | {peak} | {Mib(s.WorkingSetBefore)} | {epochs} |");
                }

                foreach (var failed in runs.Where(r => r.Dataset == dataset && r.Trainer == trainer && r.Error is not null))
                {
                    text.AppendLine(c, $"| {dataset} | {trainer} | failed in round {failed.Round}: {failed.Error!.Replace("|", "/", StringComparison.Ordinal)} | | | | | |");
                }
            }
        }

        return text.ToString();
    }

    private static string Mib(double bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    private sealed class Stats(List<FitRun> runs)
    {
        public List<FitRun> Runs { get; } = runs;

        public double FitSeconds { get; } = Median(runs.Select(r => r.FitSeconds));

        public double LogLoss { get; } = Median(runs.Select(r => r.TestLogLoss));

        public double Accuracy { get; } = Median(runs.Select(r => r.Accuracy));

        public double? MacroAccuracy { get; } = runs.All(r => r.MacroAccuracy is not null) ? Median(runs.Select(r => r.MacroAccuracy!.Value)) : null;

        public double PeakWorkingSet { get; } = Median(runs.Select(r => (double)r.PeakWorkingSetBytes));

        public double WorkingSetBefore { get; } = Median(runs.Select(r => (double)r.WorkingSetBeforeFitBytes));

        public double? Epochs { get; } = runs.All(r => r.Epochs is not null) ? Median(runs.Select(r => (double)r.Epochs!.Value)) : null;
    }
}
