using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.ModelFiles;

namespace MLNet.Adam.Tests.ModelFiles;

/// <summary>ML.NET's explainability tools run on our loaded models and agree with the stock models.</summary>
public sealed class ModelFileExplainabilityTests
{
    [Fact]
    public void PermutationFeatureImportance_LoadedBinaryModel_EqualsStockModel()
    {
        var data = StockModels.BinaryData(new MLContext(seed: 1));
        var stock = StockModels.TrainBinary(new MLContext(seed: 1), data);
        var (weights, bias) = StockModels.Parameters(stock);
        var loaded = LinearModelFile.CreateBinary(new MLContext(seed: 1), data.Schema, "Features", weights, bias);

        var expected = new MLContext(seed: 5).BinaryClassification
            .PermutationFeatureImportance(stock, data, permutationCount: 2);
        var actual = new MLContext(seed: 5).BinaryClassification
            .PermutationFeatureImportance(loaded, data, permutationCount: 2);

        Assert.Equal(StockModels.BinaryFeatureCount, actual.Length);
        Assert.Equal(expected.Select(m => m.AreaUnderRocCurve.Mean), actual.Select(m => m.AreaUnderRocCurve.Mean));
        // The data's strongest true weight is on feature 4: permuting it must cost the most AUC.
        var drops = actual.Select(m => m.AreaUnderRocCurve.Mean).ToArray();
        Assert.Equal(4, Array.IndexOf(drops, drops.Min()));
    }

    [Fact]
    public void CalculateFeatureContribution_LoadedBinaryModel_ContributionsAreWeightTimesFeature()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.BinaryData(mlContext, rows: 40);
        float[] weights = { 0.5f, -1f, 2f, 0f, 0.25f };
        var loaded = LinearModelFile.CreateBinary(mlContext, data.Schema, "Features", weights, bias: 0.1f);

        var contributions = mlContext.Transforms
            .CalculateFeatureContribution(loaded, numberOfPositiveContributions: 5, numberOfNegativeContributions: 5, normalize: false)
            .Fit(data)
            .Transform(data);

        var features = data.GetColumn<float[]>("Features").ToArray();
        var actual = contributions.GetColumn<float[]>("FeatureContributions").ToArray();
        Assert.Equal(features.Length, actual.Length);
        for (int i = 0; i < features.Length; i++)
        {
            for (int j = 0; j < weights.Length; j++)
                Assert.Equal(weights[j] * features[i][j], actual[i][j], 6);
        }
    }

    [Fact]
    public void PermutationFeatureImportance_LoadedMulticlassModel_EqualsStockModel()
    {
        var data = StockModels.MulticlassData(new MLContext(seed: 1));
        var stock = StockModels.TrainMulticlass(new MLContext(seed: 1), data);
        var (weights, biases, classCount) = StockModels.Parameters(stock);
        var loaded = LinearModelFile.CreateMulticlass(new MLContext(seed: 1), data.Schema, "Measurements", "Species",
            StockModels.MulticlassFeatureCount, classCount, weights, biases, labelNames: null);

        var expected = new MLContext(seed: 5).MulticlassClassification
            .PermutationFeatureImportance(stock, data, labelColumnName: "Species", permutationCount: 2);
        var actual = new MLContext(seed: 5).MulticlassClassification
            .PermutationFeatureImportance(loaded, data, labelColumnName: "Species", permutationCount: 2);

        Assert.Equal(StockModels.MulticlassFeatureCount, actual.Length);
        Assert.Equal(expected.Select(m => m.MicroAccuracy.Mean), actual.Select(m => m.MicroAccuracy.Mean));
        Assert.Contains(actual, m => m.MicroAccuracy.Mean < 0);
    }
}
