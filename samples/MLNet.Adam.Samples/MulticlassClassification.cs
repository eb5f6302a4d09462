using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Samples;

/// <summary>Multiclass classification with a text label mapped to a key, predicted back to text.</summary>
public static class MulticlassClassification
{
    /// <summary>Runs the sample and returns the test micro-accuracy.</summary>
    public static double Run()
    {
        var mlContext = new MLContext(seed: 0);
        var data = mlContext.Data.LoadFromEnumerable(GenerateData(3000, seed: 1));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.25, seed: 2);

        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.Transforms.NormalizeMeanVariance("Features"))
            .Append(mlContext.MulticlassClassification.Trainers.AdamMaximumEntropy())
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var model = pipeline.Fit(split.TrainSet);
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        Console.WriteLine($"Micro accuracy: {metrics.MicroAccuracy:F2}");
        Console.WriteLine($"Macro accuracy: {metrics.MacroAccuracy:F2}");
        Console.WriteLine($"Log-loss: {metrics.LogLoss:F2}");

        var engine = mlContext.Model.CreatePredictionEngine<DataPoint, Prediction>(model);
        var first = GenerateData(1, seed: 9).First();
        Console.WriteLine($"Label {first.Label}, predicted {engine.Predict(first).PredictedLabel}");

        // Expected output:
        //   Micro accuracy: 0.99
        //   Macro accuracy: 0.99
        //   Log-loss: 0.03
        //   Label versicolor, predicted versicolor
        return metrics.MicroAccuracy;
    }

    private static IEnumerable<DataPoint> GenerateData(int count, int seed)
    {
        string[] names = ["setosa", "versicolor", "virginica", "other"];
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(names.Length);
            yield return new DataPoint
            {
                Label = names[c],
                Features = Enumerable.Range(0, 8).Select(j => (float)((random.NextDouble() * 2) + (j % names.Length == c ? 1.5 : 0))).ToArray(),
            };
        }
    }

    private sealed class DataPoint
    {
        public string Label { get; set; } = string.Empty;

        [VectorType(8)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = string.Empty;
    }
}
