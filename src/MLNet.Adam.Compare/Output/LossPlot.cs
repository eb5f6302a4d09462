using MLNet.Adam.Compare.Evaluation;
using MLNet.Adam.Compare.Trainers;
using ScottPlot;

namespace MLNet.Adam.Compare.Output;

/// <summary>
/// PNG of test log-loss against training time: one point per trainer (means over folds) and Adam's per-epoch curve.
/// Times spanning more than <see cref="LogScaleRatio"/>x (a trainer of seconds next to one of minutes) are drawn on a
/// logarithmic axis so that neither end is squashed.
/// </summary>
internal static class LossPlot
{
    public const string FileName = "loss-vs-time.png";

    public const double LogScaleRatio = 30;

    /// <summary>Shortest time drawn on a log axis, so that a zero-length fit stays on the plot.</summary>
    private const double MinimumSeconds = 1e-3;

    public static void Write(CompareReport report, string path)
    {
        var plot = new Plot();
        var times = report.Leaderboard.Where(r => r.Error is null).Select(r => r.TrainSeconds.Mean).Concat(report.AdamCurve.Select(p => p.Seconds))
            .Concat(report.AdamCurveFit is { } fit ? [fit.FitSeconds] : []).ToList();
        bool logScale = times.Count > 1 && times.Max() / Math.Max(times.Min(), MinimumSeconds) > LogScaleRatio;
        double X(double seconds) => logScale ? Math.Log10(Math.Max(seconds, MinimumSeconds)) : seconds;
        var palette = new ScottPlot.Palettes.Category10();
        int color = 0;
        var adamColor = palette.GetColor(0);
        foreach (var result in report.Leaderboard.Where(r => r.Error is null))
        {
            var markerColor = palette.GetColor(color++);
            var marker = plot.Add.Marker(X(result.TrainSeconds.Mean), result.LogLoss.Mean, MarkerShape.FilledCircle, 10, markerColor);
            marker.LegendText = $"{result.Name} ({result.Configuration})";
            adamColor = result.Id == TrainerRegistry.AdamId ? markerColor : adamColor;
        }

        if (report.AdamCurve.Count > 0)
        {
            var curve = plot.Add.Scatter(
                report.AdamCurve.Select(p => X(p.Seconds)).ToArray(), report.AdamCurve.Select(p => p.TestLogLoss).ToArray(), adamColor);
            curve.LegendText = "Adam per epoch (second fit, test rows as validation; time since its Fit call)";
            curve.MarkerSize = 4;
            curve.LinePattern = LinePattern.Dashed;
            if (report.AdamCurveFit is { } curveFit)
            {
                var end = plot.Add.Marker(X(curveFit.FitSeconds), curveFit.TestLogLoss, MarkerShape.OpenCircle, 10, adamColor);
                end.LegendText = FormattableString.Invariant($"that fit returned ({curveFit.Epochs} epochs, {curveFit.FitSeconds:F2} s)");
            }
        }

        plot.Title("Test log-loss against training time");
        plot.XLabel(logScale ? "training time (s, log scale)" : "training time (s)");
        if (logScale)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                // Over a few decades, powers of ten are enough labels; over less, intermediate ones are needed.
                IntegerTicksOnly = Math.Log10(times.Max() / Math.Max(times.Min(), MinimumSeconds)) >= 3,
                LabelFormatter = exponent => Math.Pow(10, exponent).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        plot.YLabel("test log-loss");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 600);
    }
}
