using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Samples;

/// <summary>
/// Save a trained pipeline as an ordinary ML.NET zip and load it in a fresh MLContext: loading needs only
/// Microsoft.ML, because the model inside is ML.NET's own logistic-regression type.
/// </summary>
public static class SaveAndLoad
{
    /// <summary>Runs the sample and returns the largest difference between the two models' probabilities.</summary>
    public static double Run()
    {
        var trainingContext = new MLContext(seed: 0);
        var data = trainingContext.Data.LoadFromEnumerable(GenerateData(1000, seed: 1));
        var model = trainingContext.Transforms.Concatenate("Features", nameof(Patient.Age), nameof(Patient.Pressure))
            .Append(trainingContext.Transforms.NormalizeMeanVariance("Features"))
            .Append(trainingContext.BinaryClassification.Trainers.AdamLogisticRegression(labelColumnName: nameof(Patient.Sick)))
            .Fit(data);

        string path = Path.Combine(Path.GetTempPath(), $"adam-sample-{Environment.ProcessId}.zip");
        trainingContext.Model.Save(model, data.Schema, path);

        // A different context, as in another application.
        var servingContext = new MLContext();
        var loaded = servingContext.Model.Load(path, out var inputSchema);
        File.Delete(path);
        Console.WriteLine($"Loaded a {loaded.GetType().Name} expecting {inputSchema.Count} input columns.");

        var before = trainingContext.Data.CreateEnumerable<Prediction>(model.Transform(data), false).ToList();
        var after = servingContext.Data.CreateEnumerable<Prediction>(loaded.Transform(data), false).ToList();
        double largest = before.Zip(after, (a, b) => Math.Abs(a.Probability - b.Probability)).Max();
        Console.WriteLine($"Largest probability difference after reload: {largest}");

        var engine = servingContext.Model.CreatePredictionEngine<Patient, Prediction>(loaded);
        var p = engine.Predict(new Patient { Age = 70, Pressure = 165 });
        Console.WriteLine($"Age 70, pressure 165: sick probability {p.Probability:F2}");

        // Expected output:
        //   Loaded a TransformerChain`1 expecting 3 input columns.
        //   Largest probability difference after reload: 0
        //   Age 70, pressure 165: sick probability 0.91
        return largest;
    }

    private static IEnumerable<Patient> GenerateData(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            float age = 20 + (float)(random.NextDouble() * 60);
            float pressure = 100 + (float)(random.NextDouble() * 80);
            double risk = ((age - 50) / 10) + ((pressure - 140) / 15);
            yield return new Patient { Age = age, Pressure = pressure, Sick = random.NextDouble() < 1 / (1 + Math.Exp(-risk)) };
        }
    }

    private sealed class Patient
    {
        public float Age { get; set; }

        public float Pressure { get; set; }

        public bool Sick { get; set; }
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }
}
