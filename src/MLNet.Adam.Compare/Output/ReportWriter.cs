using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNet.Adam.Compare.Evaluation;

namespace MLNet.Adam.Compare.Output;

/// <summary>Writes the run's results as JSON (everything, machine-readable) and as a Markdown report.</summary>
internal static class ReportWriter
{
    public const string JsonFile = "results.json";
    public const string MarkdownFile = "report.md";

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void WriteJson(CompareReport report, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(report, JsonOptions));

    public static void WriteMarkdown(CompareReport report, string path, string? plotFile) =>
        File.WriteAllText(path, Markdown(report, plotFile));

    public static string Markdown(CompareReport report, string? plotFile)
    {
        bool binary = report.Task == "binary";
        var md = new StringBuilder();
        md.AppendLine("# MLNet.Adam comparison").AppendLine();
        md.AppendLine($"- Data: {report.Data}");
        md.AppendLine($"- Task: {report.Label}");
        md.AppendLine($"- Evaluation: {report.Evaluation}; ranked by mean test log-loss (lower is better)");
        md.AppendLine($"- Machine: {report.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Total run time: {report.TotalSeconds:F1} s").AppendLine();
        if (report.Warnings.Count > 0)
        {
            md.AppendLine("## Warnings").AppendLine();
            foreach (var warning in report.Warnings)
            {
                md.AppendLine($"- {warning}");
            }

            md.AppendLine();
        }

        if (report.AllFailed)
        {
            md.AppendLine("**Every trainer failed: there is no result and no model.** The reasons are in the leaderboard below.").AppendLine();
        }
        md.AppendLine("## Featurization").AppendLine();
        foreach (var line in report.Featurization)
        {
            md.AppendLine($"- {line}");
        }

        md.AppendLine().AppendLine("## Leaderboard").AppendLine();
        var headers = Format.Headers(binary);
        md.AppendLine("| " + string.Join(" | ", headers) + " |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", headers.Count)));
        for (int i = 0; i < report.Leaderboard.Count; i++)
        {
            md.AppendLine("| " + string.Join(" | ", Format.Row(i + 1, report.Leaderboard[i], binary).Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        var notes = report.Leaderboard.Select(r => r.AucNote is null ? null : $"{r.Name}: {r.AucNote}.").OfType<string>().ToList();
        if (notes.Count > 0)
        {
            md.AppendLine();
            foreach (var note in notes)
            {
                md.AppendLine($"- {note}");
            }
        }

        var spread = report.HasFolds
            ? "Each cell is the mean ± the standard deviation over folds."
            : "One test split, so there is no spread.";
        var time = report.TimeMeasure.Length > 0 ? report.TimeMeasure : "training time = wall time of the trainer's Fit call";
        md.AppendLine().AppendLine($"{spread} {char.ToUpperInvariant(time[0])}{time[1..]}; {report.MemoryMeasure}; model size is the trained model alone saved as an ML.NET zip.").AppendLine();

        foreach (var result in report.Leaderboard.Where(r => r.SweepTrials.Count > 0))
        {
            md.AppendLine($"### Sweep: {result.Name}").AppendLine().AppendLine("| configuration | validation log-loss | train time |").AppendLine("|---|---|---|");
            foreach (var trial in result.SweepTrials)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {trial.Configuration} | {trial.ValidationLogLoss:F4} | {trial.TrainSeconds:F2} s |");
            }

            md.AppendLine();
        }

        if (report.AdamCurve.Count > 0)
        {
            md.AppendLine("## Adam: test log-loss per epoch").AppendLine().AppendLine(report.AdamCurveNote).AppendLine();
            if (plotFile is not null)
            {
                md.AppendLine($"![test log-loss against training time]({plotFile})").AppendLine();
            }

            md.AppendLine("| epoch | seconds | test log-loss |").AppendLine("|---|---|---|");
            foreach (var point in report.AdamCurve)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {point.Epoch} | {point.Seconds:F3} | {point.TestLogLoss:F4} |");
            }
        }
        else if (plotFile is not null)
        {
            md.AppendLine($"![test log-loss against training time]({plotFile})");
        }

        return md.ToString();
    }
}
