using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Samples;

/// <summary>
/// Export a trained pipeline to ONNX with ML.NET's own converter and score it back through ONNX Runtime: the models
/// are ML.NET's types, so <c>ConvertToOnnx</c> handles them as it handles L-BFGS's. Needs the packages
/// Microsoft.ML.OnnxConverter, Microsoft.ML.OnnxTransformer and Microsoft.ML.OnnxRuntime in the application (the
/// MLNet.Adam library does not depend on them).
/// </summary>
public static class OnnxExport
{
    /// <summary>Runs the sample and returns the largest difference between ML.NET's and ONNX Runtime's probabilities.</summary>
    public static double Run()
    {
        var mlContext = new MLContext(seed: 0);
        var data = mlContext.Data.LoadFromEnumerable(GenerateData(1000, seed: 1));
        var model = mlContext.Transforms.NormalizeMeanVariance("Features")
            .Append(mlContext.BinaryClassification.Trainers.AdamLogisticRegression())
            .Fit(data);

        string path = Path.Combine(Path.GetTempPath(), $"adam-sample-{Environment.ProcessId}.onnx");
        using (var stream = File.Create(path))
        {
            mlContext.Model.ConvertToOnnx(model, data, stream);
        }

        // The ONNX graph's outputs come back as columns named as ML.NET's (Score, Probability, PredictedLabel), as 1 x 1 tensors.
        var onnxModel = mlContext.Transforms.ApplyOnnxModel(path).Fit(data);
        var mlnet = model.Transform(data).GetColumn<float>("Probability").ToArray();
        var onnx = onnxModel.Transform(data).GetColumn<float[]>("Probability").Select(p => p[0]).ToArray();
        onnxModel.Dispose();
        File.Delete(path);

        double largest = mlnet.Zip(onnx, (a, b) => Math.Abs((double)a - b)).Max();
        Console.WriteLine($"ONNX model: {onnx.Length} rows scored, largest probability difference from ML.NET {largest:E1}");

        // Expected output:
        //   ONNX model: 1000 rows scored, largest probability difference from ML.NET 1.2E-007
        return largest;
    }

    private static IEnumerable<Row> GenerateData(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            float age = 20 + (float)(random.NextDouble() * 60);
            float pressure = 90 + (float)(random.NextDouble() * 90);
            float noise = (float)(random.NextDouble() - 0.5) * 2;
            yield return new Row { Label = (0.08 * (age - 50)) + (0.05 * (pressure - 135)) + noise > 0, Features = [age, pressure] };
        }
    }

    private sealed class Row
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }
}
