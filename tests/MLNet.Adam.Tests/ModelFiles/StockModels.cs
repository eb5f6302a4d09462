using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNet.Adam.Tests.ModelFiles;

/// <summary>
/// Seeded synthetic data and ML.NET's own L-BFGS models trained on it: the oracle our model files are compared to.
/// </summary>
internal static class StockModels
{
    public const int BinaryFeatureCount = 5;
    public const int MulticlassFeatureCount = 4;
    public static readonly string[] ClassNames = { "setosa", "versicolor", "virginica" };

    public sealed class BinaryRow
    {
        [VectorType(BinaryFeatureCount)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }

    public sealed class MulticlassRow
    {
        [VectorType(MulticlassFeatureCount)]
        public float[] Measurements { get; set; } = Array.Empty<float>();

        // Mapped to a key column of the same name, which hides this text column: exercises hidden columns.
        public string Species { get; set; } = "";
    }

    public static IDataView BinaryData(MLContext mlContext, int rows = 300, int seed = 7)
    {
        var random = new Random(seed);
        float[] truth = { 1.5f, -2f, 0.5f, 0f, 3f };
        var data = new List<BinaryRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            var x = new float[BinaryFeatureCount];
            double margin = -0.4;
            for (int j = 0; j < x.Length; j++)
            {
                x[j] = (float)(random.NextDouble() * 2 - 1);
                margin += truth[j] * x[j];
            }
            data.Add(new BinaryRow { Features = x, Label = margin + 0.5 * (random.NextDouble() - 0.5) > 0 });
        }
        return mlContext.Data.LoadFromEnumerable(data);
    }

    public static IDataView MulticlassData(MLContext mlContext, int rows = 300, int seed = 11)
    {
        var random = new Random(seed);
        var data = new List<MulticlassRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            int k = random.Next(ClassNames.Length);
            var x = new float[MulticlassFeatureCount];
            for (int j = 0; j < x.Length; j++)
                x[j] = (float)((j == k ? 2.0 : 0.0) + k * 0.3 * j + random.NextDouble() * 1.5);
            data.Add(new MulticlassRow { Measurements = x, Species = ClassNames[k] });
        }
        var raw = mlContext.Data.LoadFromEnumerable(data);
        return mlContext.Transforms.Conversion.MapValueToKey("Species").Fit(raw).Transform(raw);
    }

    public static BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> TrainBinary(
        MLContext mlContext, IDataView data)
        => mlContext.BinaryClassification.Trainers
            .LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1 })
            .Fit(data);

    public static MulticlassPredictionTransformer<MaximumEntropyModelParameters> TrainMulticlass(MLContext mlContext, IDataView data)
        => mlContext.MulticlassClassification.Trainers
            .LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Species",
                FeatureColumnName = "Measurements",
                NumberOfThreads = 1,
            })
            .Fit(data);

    /// <summary>The stock model's weights and bias, read through public API.</summary>
    public static (float[] Weights, float Bias) Parameters(
        BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> model)
    {
        var linear = model.Model.SubModel;
        return (linear.Weights.ToArray(), linear.Bias);
    }

    /// <summary>The stock model's class-major weights (K x F) and biases, read through public API.</summary>
    public static (float[] Weights, float[] Biases, int ClassCount) Parameters(MulticlassPredictionTransformer<MaximumEntropyModelParameters> model)
    {
        VBuffer<float>[] rows = Array.Empty<VBuffer<float>>();
        model.Model.GetWeights(ref rows, out int classCount);
        var weights = rows.Take(classCount).SelectMany(r => r.DenseValues()).ToArray();
        return (weights, model.Model.GetBiases().ToArray(), classCount);
    }

    public static byte[] Save(MLContext mlContext, ITransformer model, DataViewSchema schema)
    {
        using var buffer = new MemoryStream();
        mlContext.Model.Save(model, schema, buffer);
        return buffer.ToArray();
    }
}
