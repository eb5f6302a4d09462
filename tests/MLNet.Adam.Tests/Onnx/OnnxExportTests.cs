using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Onnx;

/// <summary>
/// Models of both trainers, on dense and on sparse features, convert with ML.NET's ONNX converter
/// (Microsoft.ML.OnnxConverter) and score back through ONNX Runtime (Microsoft.ML.OnnxTransformer) as ML.NET scores them.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private const int Features = 12;
    private readonly ITestOutputHelper _output;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mlnet-adam-onnx-");

    public OnnxExportTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _work.Delete(recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConvertToOnnx_BinaryModel_OnnxRuntimeScoresAsMLNet(bool sparse)
    {
        var ml = new MLContext(1);
        var data = BinaryData(ml, sparse);
        var model = ml.BinaryClassification.Trainers.AdamLogisticRegression(numberOfEpochs: 20).Fit(data);
        var scored = model.Transform(data);
        var onnx = ScoreThroughOnnx(ml, model, data);

        var probability = scored.GetColumn<float>("Probability").ToArray();
        var score = scored.GetColumn<float>("Score").ToArray();
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        var onnxProbability = onnx.GetColumn<float[]>("Probability").Select(v => v.Single()).ToArray();
        var onnxScore = onnx.GetColumn<float[]>("Score").Select(v => v.Single()).ToArray();
        var onnxPredicted = onnx.GetColumn<bool[]>("PredictedLabel").Select(v => v.Single()).ToArray();

        Assert.Equal(probability.Length, onnxProbability.Length);
        double largest = MaxDifference(probability, onnxProbability);
        _output.WriteLine($"binary, {(sparse ? "sparse" : "dense")}: largest probability difference {largest:E2}, score {MaxRelativeDifference(score, onnxScore):E2}");
        Assert.True(largest < 1e-5, $"probability differs by {largest}");
        Assert.True(MaxRelativeDifference(score, onnxScore) < 1e-5);
        Assert.True(Enumerable.Range(0, score.Length).All(i => predicted[i] == onnxPredicted[i] || Math.Abs(score[i]) < 1e-4));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConvertToOnnx_MulticlassModel_OnnxRuntimeScoresAsMLNet(bool sparse)
    {
        var ml = new MLContext(1);
        var data = MulticlassData(ml, sparse);
        var model = ml.MulticlassClassification.Trainers.AdamMaximumEntropy(numberOfEpochs: 20).Fit(data);
        var scores = model.Transform(data).GetColumn<float[]>("Score").ToArray();
        var onnxScores = ScoreThroughOnnx(ml, model, data).GetColumn<float[]>("Score").ToArray();

        Assert.Equal(scores.Length, onnxScores.Length);
        Assert.All(onnxScores, s => Assert.Equal(3, s.Length));
        double largest = MaxDifference(scores.SelectMany(s => s).ToArray(), onnxScores.SelectMany(s => s).ToArray());
        _output.WriteLine($"multiclass, {(sparse ? "sparse" : "dense")}: largest score (probability) difference {largest:E2}");
        Assert.True(largest < 1e-5, $"scores differ by {largest}");
    }

    private IDataView ScoreThroughOnnx(MLContext ml, ITransformer model, IDataView data)
    {
        string path = Path.Combine(_work.FullName, $"model-{Guid.NewGuid():N}.onnx");
        using (var stream = File.Create(path))
        {
            ml.Model.ConvertToOnnx(model, data, stream);
        }

        Assert.True(new FileInfo(path).Length > 0);
        return ml.Transforms.ApplyOnnxModel(path).Fit(data).Transform(data);
    }

    private static double MaxDifference(float[] expected, float[] actual) =>
        expected.Zip(actual, (a, b) => Math.Abs((double)a - b)).Max();

    private static double MaxRelativeDifference(float[] expected, float[] actual) =>
        expected.Zip(actual, (a, b) => Math.Abs((double)a - b) / Math.Max(1, Math.Abs(a))).Max();

    private static IDataView BinaryData(MLContext ml, bool sparse)
    {
        var random = new Random(5);
        var rows = new List<Row>();
        for (int i = 0; i < 300; i++)
        {
            var x = Vector(random, sparse);
            double margin = x[0] - (0.7 * x[3]) + (0.5 * x[7]) + (0.3 * Gaussian(random));
            rows.Add(new Row { Label = margin > 0, Features = ToVBuffer(x, sparse) });
        }

        return Load(ml, rows);
    }

    private static IDataView MulticlassData(MLContext ml, bool sparse)
    {
        var random = new Random(6);
        var rows = new List<MulticlassRow>();
        for (int i = 0; i < 300; i++)
        {
            var x = Vector(random, sparse);
            var logits = new[] { x[0] + x[1], x[2] - x[0], x[5] + (0.5 * x[9]) };
            int label = Array.IndexOf(logits, logits.Max());
            rows.Add(new MulticlassRow { Label = (uint)(label + 1), Features = ToVBuffer(x, sparse) });
        }

        var schema = SchemaDefinition.Create(typeof(MulticlassRow));
        schema[nameof(MulticlassRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Features);
        schema[nameof(MulticlassRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), 3);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static IDataView Load(MLContext ml, List<Row> rows)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Features);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Dense: every feature set. Sparse: about a quarter of the features non-zero.</summary>
    private static float[] Vector(Random random, bool sparse) =>
        Enumerable.Range(0, Features).Select(_ => !sparse || random.NextDouble() < 0.25 ? (float)Gaussian(random) : 0f).ToArray();

    private static VBuffer<float> ToVBuffer(float[] x, bool sparse)
    {
        if (!sparse)
        {
            return new VBuffer<float>(x.Length, x);
        }

        var indices = Enumerable.Range(0, x.Length).Where(j => x[j] != 0).ToArray();
        return new VBuffer<float>(x.Length, indices.Length, indices.Select(j => x[j]).ToArray(), indices);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class Row
    {
        public bool Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }

    private sealed class MulticlassRow
    {
        public uint Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }
}
