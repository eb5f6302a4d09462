using Microsoft.ML;

namespace MLNet.Adam.Samples;

/// <summary>Sentiment from text: FeaturizeText gives sparse n-gram features, which Adam trains on without densifying.</summary>
public static class TextClassification
{
    /// <summary>Runs the sample and returns the test accuracy.</summary>
    public static double Run()
    {
        var mlContext = new MLContext(seed: 0);
        var data = mlContext.Data.LoadFromEnumerable(GenerateData(1500, seed: 1));
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.3, seed: 2);

        var pipeline = mlContext.Transforms.Text.FeaturizeText("Features", "Text")
            .Append(mlContext.BinaryClassification.Trainers.AdamLogisticRegression());

        var model = pipeline.Fit(split.TrainSet);
        var metrics = mlContext.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Console.WriteLine($"Accuracy: {metrics.Accuracy:F2}");
        Console.WriteLine($"AUC: {metrics.AreaUnderRocCurve:F2}");

        var engine = mlContext.Model.CreatePredictionEngine<Review, Prediction>(model);
        var review = new Review { Text = "a wonderful, delightful film" };
        Console.WriteLine($"'{review.Text}': positive = {engine.Predict(review).PredictedLabel}");

        // Expected output:
        //   Accuracy: 0.84
        //   AUC: 0.94
        //   'a wonderful, delightful film': positive = True
        return metrics.Accuracy;
    }

    private static IEnumerable<Review> GenerateData(int count, int seed)
    {
        string[] good = ["wonderful", "delightful", "great", "moving", "superb", "charming"];
        string[] bad = ["boring", "awful", "dull", "tedious", "terrible", "clumsy"];
        string[] neutral = ["film", "plot", "actors", "story", "scenes", "music", "the", "a", "was", "and"];
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            bool positive = random.NextDouble() > 0.5;
            var words = Enumerable.Range(0, 8).Select(_ => neutral[random.Next(neutral.Length)]).ToList();

            // Mostly words of the review's sentiment, sometimes one of the other: the task is not trivially separable.
            for (int k = 0; k < 2; k++)
            {
                var pool = (random.NextDouble() < 0.85) == positive ? good : bad;
                words.Insert(random.Next(words.Count), pool[random.Next(pool.Length)]);
            }

            yield return new Review { Text = string.Join(' ', words), Label = positive };
        }
    }

    private sealed class Review
    {
        public string Text { get; set; } = string.Empty;

        public bool Label { get; set; }
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
    }
}
