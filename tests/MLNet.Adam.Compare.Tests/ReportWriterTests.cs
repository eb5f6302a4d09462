using System.Text.Json;
using MLNet.Adam.Compare.Evaluation;
using MLNet.Adam.Compare.Output;

namespace MLNet.Adam.Compare.Tests;

public sealed class ReportWriterTests
{
    private static readonly FoldResult Fold = new(0, 0.9, 0.95, null, 0.25, 1.5, 1_000_000, 2_000_000, 2_400, Epochs: 12);

    private static CompareReport Report(params TrainerResult[] results) => new(
        "data.csv (10 rows)", "binary", "binary: label 'y'", ["numeric -> ...: x (numbers)"], "hold-out 20 %", 1,
        CompareReport.Rank(results), [new CurvePoint(1, 0.1, 0.5), new CurvePoint(2, 0.2, 0.3)], "separate run", FitMeter.Description, "test machine", 3.0);

    [Fact]
    public void Rank_FailedTrainer_ListedLastWhateverItsName()
    {
        var failed = new TrainerResult("adam", "Adam", "defaults", [], []) { Error = "boom" };
        var worse = new TrainerResult("sgd", "Sgd", "defaults", [Fold with { LogLoss = 0.4 }], []);
        var better = new TrainerResult("lbfgs", "Lbfgs", "defaults", [Fold], []);

        var ranked = CompareReport.Rank([failed, worse, better]);

        Assert.Equal(["lbfgs", "sgd", "adam"], ranked.Select(r => r.Id));
    }

    [Fact]
    public void Serialize_ReportWithFailedTrainer_ValidJsonWithError()
    {
        var report = Report(new TrainerResult("lbfgs", "Lbfgs", "l2=1", [Fold], []), new TrainerResult("adam", "Adam", "defaults", [], []) { Error = "boom" });

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, ReportWriter.JsonOptions));

        var failed = json.RootElement.GetProperty("leaderboard")[1];
        Assert.Equal("boom", failed.GetProperty("error").GetString());
        Assert.Equal(0.25, json.RootElement.GetProperty("leaderboard")[0].GetProperty("logLoss").GetProperty("mean").GetDouble());
    }

    [Fact]
    public void Markdown_TwoTrainers_TableRowsSweepAndCurve()
    {
        var trials = new[] { new SweepTrial("l2=1", 0.3, 0.1), new SweepTrial("l2=0.1", 0.31, 0.1) };
        var report = Report(new TrainerResult("lbfgs", "Lbfgs", "l2=1", [Fold, Fold with { Fold = 1, LogLoss = 0.35 }], trials));

        var markdown = ReportWriter.Markdown(report, LossPlot.FileName);

        Assert.Contains("| 1 | Lbfgs | l2=1 | 0.9000 ± 0.0000 | 0.9500 ± 0.0000 | 0.3000 ± 0.0707 |", markdown, StringComparison.Ordinal);
        Assert.Contains("### Sweep: Lbfgs", markdown, StringComparison.Ordinal);
        Assert.Contains("| l2=0.1 | 0.3100 | 0.10 s |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2 | 0.200 | 0.3000 |", markdown, StringComparison.Ordinal);
        Assert.Contains($"![test log-loss against training time]({LossPlot.FileName})", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(900.0)]
    public void Write_PlotWithCurve_PngFile(double otherTrainerSeconds)
    {
        var path = Path.Combine(Path.GetTempPath(), $"compare-plot-{Guid.NewGuid():N}.png");
        try
        {
            var other = new TrainerResult("lbfgs", "Lbfgs", "defaults", [Fold with { TrainSeconds = otherTrainerSeconds }], []);
            LossPlot.Write(Report(new TrainerResult("adam", "Adam", "defaults", [Fold], []), other), path);

            var header = File.ReadAllBytes(path).Take(4).ToArray();
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, header);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
