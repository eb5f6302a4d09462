using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Samples;

/// <summary>Binary classification: normalize, train Adam logistic regression, evaluate on a held-out split.</summary>
public static class BinaryClassification
{
    /// <summary>Runs the sample and returns the test accuracy.</summary>
    public static double Run()
    {
        var mlContext = new MLContext(seed: 0);
        var data = mlContext.Data.LoadFromEnumerable(GenerateData(2000, seed: 1));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.25, seed: 2);

        // One line differs from an SdcaLogisticRegression pipeline: the trainer.
        var pipeline = mlContext.Transforms.NormalizeMeanVariance("Features")
            .Append(mlContext.BinaryClassification.Trainers.AdamLogisticRegression());

        var model = pipeline.Fit(split.TrainSet);
        var metrics = mlContext.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Console.WriteLine($"Accuracy: {metrics.Accuracy:F2}");
        Console.WriteLine($"AUC: {metrics.AreaUnderRocCurve:F2}");
        Console.WriteLine($"Log-loss: {metrics.LogLoss:F2}");

        // Expected output:
        //   Accuracy: 0.94
        //   AUC: 0.99
        //   Log-loss: 0.21
        return metrics.Accuracy;
    }

    private static IEnumerable<DataPoint> GenerateData(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            bool label = random.NextDouble() > 0.5;
            yield return new DataPoint
            {
                Label = label,

                // Each feature is shifted towards the label's side, with noise and a different scale.
                Features = Enumerable.Range(0, 10).Select(j => (float)(((random.NextDouble() - 0.5) * 2) + (label ? 0.3 : -0.3)) * (j + 1) * 10).ToArray(),
            };
        }
    }

    private sealed class DataPoint
    {
        public bool Label { get; set; }

        [VectorType(10)]
        public float[] Features { get; set; } = [];
    }
}
