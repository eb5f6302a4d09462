using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.Evaluation;
using MLNet.Adam.Compare.Output;

namespace MLNet.Adam.Compare.Tests;

/// <summary>Short runs of the whole tool on tiny data; SDCA is left out where it adds nothing but time.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Output => Path.Combine(_files.Root, "out");

    [Fact]
    public void Run_TinySyntheticBinary_WritesModelReportJsonAndPlot()
    {
        var options = _files.Options("--rows", "400", "--features", "5", "--trainers", "adam,lbfgs,sgd") with { NoPlot = false };

        var (code, output, errors) = TestFiles.Run(options);

        Assert.True(code == ExitCodes.Success, errors);
        Assert.True(File.Exists(Path.Combine(Output, CompareApp.BestModelFile)));
        Assert.True(File.Exists(Path.Combine(Output, ReportWriter.MarkdownFile)));
        Assert.True(new FileInfo(Path.Combine(Output, LossPlot.FileName)).Length > 0);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, ReportWriter.JsonFile)));
        var leaderboard = json.RootElement.GetProperty("leaderboard");
        Assert.Equal(3, leaderboard.GetArrayLength());
        Assert.Equal(["adam", "lbfgs", "sgd"], leaderboard.EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order());
        foreach (var result in leaderboard.EnumerateArray())
        {
            Assert.False(result.TryGetProperty("error", out _), result.ToString());
            var fold = result.GetProperty("folds")[0];
            Assert.InRange(fold.GetProperty("accuracy").GetDouble(), 0.5, 1.0);
            Assert.InRange(fold.GetProperty("auc").GetDouble(), 0.5, 1.0);
            Assert.True(fold.GetProperty("modelBytes").GetInt64() > 0);
        }

        Assert.True(json.RootElement.GetProperty("adamCurve").GetArrayLength() > 0);
        Assert.Contains("Leaderboard", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MixedCsvTwoFolds_BestModelScoresRawRows()
    {
        var path = _files.WriteMixedCsv("mixed.csv", rows: 200);
        var options = _files.Options("--data", path, "--label", "label", "--folds", "2", "--trainers", "lbfgs,adam");

        var (code, _, errors) = TestFiles.Run(options);

        Assert.True(code == ExitCodes.Success, errors);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, ReportWriter.JsonFile)));
        Assert.All(json.RootElement.GetProperty("leaderboard").EnumerateArray(), r => Assert.Equal(2, r.GetProperty("folds").GetArrayLength()));
        var context = new MLContext(1);
        var model = context.Model.Load(Path.Combine(Output, CompareApp.BestModelFile), out var inputSchema);
        Assert.Contains(inputSchema, c => c.Name == "comment");
        var rows = context.Data.CreateTextLoader(
            [new("age", DataKind.Single, 0), new("color", DataKind.String, 1), new("comment", DataKind.String, 2), new("label", DataKind.String, 4)],
            hasHeader: true, allowQuoting: true).Load(path);
        var scored = model.Transform(rows);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
    }

    [Fact]
    public void Run_SyntheticMulticlassWithSweep_ReportsTrialsAndClassNames()
    {
        var options = _files.Options("--dataset", "synthetic-multiclass", "--rows", "300", "--features", "4", "--classes", "3",
            "--trainers", "adam,lbfgs", "--sweep", "--time-budget", "1");

        var (code, _, errors) = TestFiles.Run(options);

        Assert.True(code == ExitCodes.Success, errors);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, ReportWriter.JsonFile)));
        Assert.Equal("multiclass", json.RootElement.GetProperty("task").GetString());
        foreach (var result in json.RootElement.GetProperty("leaderboard").EnumerateArray())
        {
            Assert.True(result.GetProperty("sweepTrials").GetArrayLength() >= 1);
            Assert.True(result.GetProperty("folds")[0].TryGetProperty("macroAccuracy", out _));
        }

        var markdown = File.ReadAllText(Path.Combine(Output, ReportWriter.MarkdownFile));
        Assert.Contains("### Sweep:", markdown, StringComparison.Ordinal);
        var context = new MLContext(1);
        var model = context.Model.Load(Path.Combine(Output, CompareApp.BestModelFile), out _);
        var rows = Data.VectorRow.ToDataView(context, Data.SyntheticData.Generate(5, 4, 3, seed: 2), 4);
        var predicted = model.Transform(rows).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(p => p.ToString()).ToList();
        Assert.All(predicted, p => Assert.StartsWith("class", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_BinaryIdvWithFeaturesColumn_UsesTheVector()
    {
        var context = new MLContext(1);
        var rows = Data.SyntheticData.Generate(300, 6, 2, seed: 5);
        var view = Data.VectorRow.ToDataView(context, rows, 6);
        var path = Path.Combine(_files.Root, "data.idv");
        using (var stream = File.Create(path))
        {
            context.Data.SaveAsBinary(view, stream);
        }

        var (code, output, errors) = TestFiles.Run(_files.Options("--data", path, "--trainers", "lbfgs"));

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("numeric vector", output, StringComparison.Ordinal);
        Assert.Contains("positive class 'positive'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MulticlassCsvWithTestFile_TrainsOnAllAndTestsOnTheFile()
    {
        string Rows(int count, int seed)
        {
            var random = new Random(seed);
            var text = new System.Text.StringBuilder("x1;x2;shape\n");
            for (int i = 0; i < count; i++)
            {
                int k = random.Next(3);
                text.Append(System.FormattableString.Invariant($"{k + random.NextDouble()};{(k * 2) + random.NextDouble()};{new[] { "circle", "square", "star" }[k]}\n"));
            }

            return text.ToString();
        }

        var train = _files.Write("train.csv", Rows(150, 1));
        var test = _files.Write("test.csv", Rows(60, 2));

        var (code, output, errors) = TestFiles.Run(_files.Options("--data", train, "--test", test, "--label", "shape", "--trainers", "adam,lbfgs"));

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("multiclass: label 'shape', 3 classes (circle, square, star)", output, StringComparison.Ordinal);
        Assert.Contains("test file test.csv (60 rows)", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, ReportWriter.JsonFile)));
        Assert.All(json.RootElement.GetProperty("leaderboard").EnumerateArray(), r => Assert.InRange(r.GetProperty("folds")[0].GetProperty("accuracy").GetDouble(), 0.8, 1.0));
    }

    [Fact]
    public void Run_IdvWithRawColumns_ProfilesAndFeaturizesThem()
    {
        var context = new MLContext(1);
        var random = new Random(4);
        var rows = Enumerable.Range(0, 200).Select(i =>
        {
            float size = (float)random.NextDouble();
            var color = new[] { "red", "blue" }[random.Next(2)];
            return new RawRow { Size = size, Color = color, Verdict = size + (color == "red" ? 0.3 : 0) > 0.7 ? "keep" : "drop" };
        }).ToList();
        var path = Path.Combine(_files.Root, "raw.idv");
        using (var stream = File.Create(path))
        {
            context.Data.SaveAsBinary(context.Data.LoadFromEnumerable(rows), stream);
        }

        var (code, output, errors) = TestFiles.Run(_files.Options("--data", path, "--label", "Verdict", "--trainers", "lbfgs"));

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("OneHotEncoding: Color (strings, 2 distinct)", output, StringComparison.Ordinal);
        Assert.Contains("Size (numeric vector)", output, StringComparison.Ordinal);
        Assert.Contains("binary: label 'Verdict', positive class 'keep'", output, StringComparison.Ordinal);
    }

    private sealed class RawRow
    {
        public float Size { get; set; }

        public string Color { get; set; } = string.Empty;

        public string Verdict { get; set; } = string.Empty;
    }
}
