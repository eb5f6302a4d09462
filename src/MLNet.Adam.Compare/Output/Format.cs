using System.Globalization;
using MLNet.Adam.Compare.Evaluation;

namespace MLNet.Adam.Compare.Output;

/// <summary>Number formatting shared by the console table and the Markdown report.</summary>
internal static class Format
{
    public static string Metric(Summary? summary, int folds) =>
        summary is null ? "-" : folds > 1 ? $"{Invariant(summary.Mean, "F4")} ± {Invariant(summary.StdDev, "F4")}" : Invariant(summary.Mean, "F4");

    /// <summary>Seconds with two decimals, or milliseconds below 0.1 s so that fast trainers do not all read 0.00 s.</summary>
    public static string Seconds(Summary summary, int folds)
    {
        bool milliseconds = summary.Mean < 0.1;
        double scale = milliseconds ? 1000 : 1;
        string format = milliseconds ? "F1" : "F2", unit = milliseconds ? "ms" : "s";
        return folds > 1
            ? $"{Invariant(summary.Mean * scale, format)} ± {Invariant(summary.StdDev * scale, format)} {unit}"
            : $"{Invariant(summary.Mean * scale, format)} {unit}";
    }

    public static string Bytes(double bytes) => bytes switch
    {
        >= 1 << 30 => $"{Invariant(bytes / (1 << 30), "F2")} GiB",
        >= 1 << 20 => $"{Invariant(bytes / (1 << 20), "F1")} MiB",
        >= 1 << 10 => $"{Invariant(bytes / (1 << 10), "F1")} KiB",
        _ => $"{Invariant(bytes, "F0")} B",
    };

    /// <summary>The columns of the leaderboard, the same in the console and in Markdown.</summary>
    public static IReadOnlyList<string> Headers(bool binary) =>
        ["#", "trainer", "configuration", binary ? "accuracy" : "micro-acc", binary ? "AUC" : "macro-acc", "log-loss (nats)", "train time", "peak mem Δ", "allocated", "model size"];

    public static IReadOnlyList<string> Row(int rank, TrainerResult result, bool binary)
    {
        if (result.Error is not null)
        {
            return [rank.ToString(CultureInfo.InvariantCulture), result.Name, result.Configuration, "failed: " + result.Error, "", "", "", "", "", ""];
        }

        int folds = result.Folds.Count;
        return
        [
            rank.ToString(CultureInfo.InvariantCulture), result.Name, result.Configuration,
            Metric(result.Accuracy, folds), binary ? Auc(result) : Metric(result.MacroAccuracy, folds), Metric(result.LogLoss, folds),
            Seconds(result.TrainSeconds, folds), Bytes(result.MaxPeakWorkingSetDeltaBytes), Bytes(result.MeanAllocatedBytes), Bytes(result.ModelBytes),
        ];
    }

    /// <summary>AUC, "not defined" when no test split has both classes, with the count of splits when only some do.</summary>
    public static string Auc(TrainerResult result)
    {
        int folds = result.Folds.Count;
        if (result.Auc is null)
        {
            return result.AucNote is null ? "-" : "not defined";
        }

        return result.AucFolds < folds
            ? $"{Metric(result.Auc, result.AucFolds)} ({result.AucFolds} of {folds} splits)"
            : Metric(result.Auc, folds);
    }

    private static string Invariant(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
