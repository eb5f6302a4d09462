using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.ModelFiles;

namespace MLNet.Adam.Tests.ModelFiles;

/// <summary>
/// A zip written by our writer loads in a separate program that references only Microsoft.ML, and that program's
/// predictions equal the in-process ones exactly (floats printed round-trip).
/// </summary>
public sealed class LoadCheckTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mlnet-adam-loadcheck-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void LoadCheck_BinaryModelFileWithIdvData_PrintsInProcessPredictions()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.BinaryData(mlContext, rows: 120);
        var (weights, bias) = StockModels.Parameters(StockModels.TrainBinary(mlContext, data));
        string model = WriteFile("binary.zip", s => LinearModelFile.WriteBinary(s, data.Schema, "Features", weights, bias));
        string input = WriteFile("data.idv", s => mlContext.Data.SaveAsBinary(data, s));
        string output = Path.Combine(_work.FullName, "binary.tsv");

        LoadCheckRunner.Run(model, input, output);

        using var modelFile = File.OpenRead(model);
        var scored = LinearModelFile.LoadBinary(mlContext, modelFile).Transform(data);
        var expected = new List<string> { "Score\tProbability\tPredictedLabel" };
        expected.AddRange(mlContext.Data.CreateEnumerable<BinaryPrediction>(scored, reuseRowObject: false)
            .Select(p => $"{Format(p.Score)}\t{Format(p.Probability)}\t{(p.PredictedLabel ? "True" : "False")}"));
        Assert.Equal(expected, File.ReadAllLines(output));
    }

    [Fact]
    public void LoadCheck_MulticlassModelFileWithCsvData_PrintsInProcessPredictions()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.MulticlassData(mlContext, rows: 90);
        var stock = StockModels.TrainMulticlass(mlContext, data);
        var (weights, biases, classCount) = StockModels.Parameters(stock);
        string model = WriteFile("multiclass.zip", s => LinearModelFile.WriteMulticlass(s, data.Schema, "Measurements", "Species",
            StockModels.MulticlassFeatureCount, classCount, weights, biases,
            MulticlassLabelNames.FromKeyValues(data.Schema, "Species", classCount)));
        var features = data.GetColumn<float[]>("Measurements").ToArray();
        string input = Path.Combine(_work.FullName, "data.csv");
        File.WriteAllLines(input, features
            .Select(x => string.Join(",", x.Select(Format)))
            .Prepend(string.Join(",", Enumerable.Range(0, StockModels.MulticlassFeatureCount).Select(j => $"m{j}"))));
        string output = Path.Combine(_work.FullName, "multiclass.tsv");

        LoadCheckRunner.Run(model, input, output);

        using var modelFile = File.OpenRead(model);
        var scored = LinearModelFile.LoadMulticlass(mlContext, modelFile).Transform(data);
        var named = mlContext.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(scored).Transform(scored);
        var scores = named.GetColumn<float[]>("Score").ToArray();
        var names = named.GetColumn<ReadOnlyMemory<char>>("PredictedName").ToArray();
        var expected = new List<string> { "Score\tPredictedLabel" };
        expected.AddRange(scores.Select((s, i) => $"{string.Join(",", s.Select(Format))}\t{names[i]}"));
        Assert.Equal(expected, File.ReadAllLines(output));
    }

    private string WriteFile(string name, Action<Stream> write)
    {
        string path = Path.Combine(_work.FullName, name);
        using (var stream = File.Create(path))
            write(stream);
        return path;
    }

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class BinaryPrediction
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }
}
