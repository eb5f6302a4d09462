using MLNet.Adam.Compare.Evaluation;
using MLNet.Adam.Compare.Trainers;
using ScottPlot;

namespace MLNet.Adam.Compare.Output;

/// <summary>
/// PNG of test log-loss against training time: one point per trainer (means over folds) and Adam's per-epoch curve.
/// </summary>
internal static class LossPlot
{
    public const string FileName = "loss-vs-time.png";

    public static void Write(CompareReport report, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int color = 0;
        var adamColor = palette.GetColor(0);
        foreach (var result in report.Leaderboard.Where(r => r.Error is null))
        {
            var markerColor = palette.GetColor(color++);
            var marker = plot.Add.Marker(result.TrainSeconds.Mean, result.LogLoss.Mean, MarkerShape.FilledCircle, 10, markerColor);
            marker.LegendText = $"{result.Name} ({result.Configuration})";
            adamColor = result.Id == TrainerRegistry.AdamId ? markerColor : adamColor;
        }

        if (report.AdamCurve.Count > 0)
        {
            var curve = plot.Add.Scatter(
                report.AdamCurve.Select(p => p.Seconds).ToArray(), report.AdamCurve.Select(p => p.TestLogLoss).ToArray(), adamColor);
            curve.LegendText = "Adam per epoch (separate run, test rows as validation)";
            curve.MarkerSize = 4;
            curve.LinePattern = LinePattern.Dashed;
        }

        plot.Title("Test log-loss against training time");
        plot.XLabel("training time (s)");
        plot.YLabel("test log-loss");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 600);
    }
}
