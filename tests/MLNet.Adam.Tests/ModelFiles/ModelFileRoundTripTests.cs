using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.ModelFiles;

namespace MLNet.Adam.Tests.ModelFiles;

/// <summary>Our zips load through <c>mlContext.Model.Load</c> as ML.NET's stock types and predict exactly as the stock models.</summary>
public sealed class ModelFileRoundTripTests
{
    private sealed class BinaryPrediction
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassPrediction
    {
        public float[] Score { get; set; } = Array.Empty<float>();
        public uint PredictedLabel { get; set; }
    }

    [Fact]
    public void LoadBinary_WrittenFromStockWeights_PredictionsEqualStockModel()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.BinaryData(mlContext);
        var stock = StockModels.TrainBinary(mlContext, data);
        var (weights, bias) = StockModels.Parameters(stock);

        var loaded = LinearModelFile.CreateBinary(mlContext, data.Schema, "Features", weights, bias);

        Assert.Equal(-1, loaded.Model.Calibrator.Slope);
        Assert.Equal(0, loaded.Model.Calibrator.Offset);
        Assert.Equal(weights, loaded.Model.SubModel.Weights);
        Assert.Equal(bias, loaded.Model.SubModel.Bias);
        var expected = Predict<BinaryPrediction>(mlContext, stock, data);
        var actual = Predict<BinaryPrediction>(mlContext, loaded, data);
        Assert.Equal(expected.Select(p => p.Score), actual.Select(p => p.Score));
        Assert.Equal(expected.Select(p => p.Probability), actual.Select(p => p.Probability));
        Assert.Equal(expected.Select(p => p.PredictedLabel), actual.Select(p => p.PredictedLabel));
        Assert.Contains(actual, p => p.PredictedLabel);
        Assert.Contains(actual, p => !p.PredictedLabel);
    }

    [Fact]
    public void LoadBinary_HandPickedWeights_ProbabilityIsSigmoidOfScore()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.BinaryData(mlContext, rows: 20);
        float[] weights = { 0.5f, -1f, 2f, 0f, 0.25f };
        const float bias = -0.75f;

        var loaded = LinearModelFile.CreateBinary(mlContext, data.Schema, "Features", weights, bias);

        var rows = mlContext.Data.CreateEnumerable<StockModels.BinaryRow>(data, reuseRowObject: false).ToList();
        var predictions = Predict<BinaryPrediction>(mlContext, loaded, data);
        for (int i = 0; i < rows.Count; i++)
        {
            double score = bias;
            for (int j = 0; j < weights.Length; j++)
                score += (double)weights[j] * rows[i].Features[j];
            Assert.Equal(score, predictions[i].Score, 5);
            Assert.Equal(1 / (1 + Math.Exp(-predictions[i].Score)), predictions[i].Probability, 6);
            Assert.Equal(predictions[i].Score > 0, predictions[i].PredictedLabel);
        }
    }

    [Fact]
    public void LoadMulticlass_WrittenFromStockWeights_PredictionsAndMetricsEqualStockModel()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.MulticlassData(mlContext);
        var stock = StockModels.TrainMulticlass(mlContext, data);
        var (weights, biases, classCount) = StockModels.Parameters(stock);

        var loaded = LinearModelFile.CreateMulticlass(mlContext, data.Schema, "Measurements", "Species",
            StockModels.MulticlassFeatureCount, classCount, weights, biases,
            MulticlassLabelNames.FromKeyValues(data.Schema, "Species", classCount));

        var expected = Predict<MulticlassPrediction>(mlContext, stock, data);
        var actual = Predict<MulticlassPrediction>(mlContext, loaded, data);
        Assert.Equal(expected.SelectMany(p => p.Score), actual.SelectMany(p => p.Score));
        Assert.Equal(expected.Select(p => p.PredictedLabel), actual.Select(p => p.PredictedLabel));
        Assert.Equal(PredictedNames(mlContext, stock, data), PredictedNames(mlContext, loaded, data));
        Assert.Equal(StockModels.ClassNames.Order(), PredictedNames(mlContext, loaded, data).Distinct().Order());

        var stockMetrics = mlContext.MulticlassClassification.Evaluate(stock.Transform(data), labelColumnName: "Species");
        var ourMetrics = mlContext.MulticlassClassification.Evaluate(loaded.Transform(data), labelColumnName: "Species");
        Assert.Equal(stockMetrics.MacroAccuracy, ourMetrics.MacroAccuracy);
        Assert.Equal(stockMetrics.LogLoss, ourMetrics.LogLoss);
        Assert.True(ourMetrics.MicroAccuracy > 0.8, $"Micro accuracy {ourMetrics.MicroAccuracy}");
    }

    [Fact]
    public void LoadBinary_MulticlassModelFile_ThrowsInvalidOperationNamingBothTypes()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.MulticlassData(mlContext, rows: 30);
        using var zip = new MemoryStream();
        LinearModelFile.WriteMulticlass(zip, data.Schema, "Measurements", "Species", StockModels.MulticlassFeatureCount,
            3, new float[3 * StockModels.MulticlassFeatureCount], new float[3], labelNames: null);
        zip.Position = 0;

        var error = Assert.Throws<InvalidOperationException>(() => LinearModelFile.LoadBinary(mlContext, zip));
        Assert.Contains("MulticlassPredictionTransformer", error.Message);
        Assert.Contains("BinaryPredictionTransformer", error.Message);
    }

    [Fact]
    public void LoadMulticlass_BinaryModelFile_ThrowsInvalidOperation()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.BinaryData(mlContext, rows: 30);
        using var zip = new MemoryStream();
        LinearModelFile.WriteBinary(zip, data.Schema, "Features", new float[StockModels.BinaryFeatureCount], 0);
        zip.Position = 0;

        Assert.Throws<InvalidOperationException>(() => LinearModelFile.LoadMulticlass(mlContext, zip));
    }

    private static List<T> Predict<T>(MLContext mlContext, ITransformer model, IDataView data)
        where T : class, new()
        => mlContext.Data.CreateEnumerable<T>(model.Transform(data), reuseRowObject: false, ignoreMissingColumns: true).ToList();

    private static string[] PredictedNames(MLContext mlContext, ITransformer model, IDataView data)
    {
        var named = mlContext.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel")
            .Fit(model.Transform(data)).Transform(model.Transform(data));
        return named.GetColumn<ReadOnlyMemory<char>>("PredictedName").Select(v => v.ToString()).ToArray();
    }
}
