using Microsoft.ML;
using MLNet.Adam.ModelFiles;

namespace MLNet.Adam.Tests.ModelFiles;

/// <summary>
/// Our writer against <c>mlContext.Model.Save</c> of ML.NET's own L-BFGS models holding the same weights: every
/// zip entry (names and decompressed bytes) must be equal. Only the zip container may differ (timestamps).
/// </summary>
public sealed class ModelFileByteEqualityTests
{
    [Fact]
    public void WriteBinary_WeightsOfStockLogisticRegression_EveryEntryEqualsModelSave()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.BinaryData(mlContext);
        var stock = StockModels.TrainBinary(mlContext, data);
        var (weights, bias) = StockModels.Parameters(stock);
        Assert.Equal(-1, stock.Model.Calibrator.Slope);
        Assert.Equal(0, stock.Model.Calibrator.Offset);

        using var ours = new MemoryStream();
        LinearModelFile.WriteBinary(ours, data.Schema, "Features", weights, bias);

        AssertSameEntries(StockModels.Save(mlContext, stock, data.Schema), ours.ToArray());
    }

    [Fact]
    public void WriteBinary_ConcatenatedFeaturesWithSlotNamesAndZeroWeights_EveryEntryEqualsModelSave()
    {
        var mlContext = new MLContext(seed: 1);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 200).Select(_ =>
        {
            float a = (float)random.NextDouble(), b = (float)random.NextDouble(), noise = (float)random.NextDouble();
            return new { Age = a, Income = b, Noise = noise, Label = a - b > 0.1 };
        }).ToList();
        var raw = mlContext.Data.LoadFromEnumerable(rows);
        var data = mlContext.Transforms.Concatenate("Features", "Age", "Income", "Noise").Fit(raw).Transform(raw);
        // A strong L1 penalty drives weights to exactly zero, which ML.NET still stores densely.
        var stock = mlContext.BinaryClassification.Trainers
            .LbfgsLogisticRegression(l1Regularization: 20f, l2Regularization: 0f)
            .Fit(data);
        var (weights, bias) = StockModels.Parameters(stock);
        Assert.Contains(0f, weights);

        using var ours = new MemoryStream();
        LinearModelFile.WriteBinary(ours, data.Schema, "Features", weights, bias);

        AssertSameEntries(StockModels.Save(mlContext, stock, data.Schema), ours.ToArray());
    }

    [Fact]
    public void WriteMulticlass_WeightsOfStockMaximumEntropy_EveryEntryEqualsModelSave()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.MulticlassData(mlContext);
        var stock = StockModels.TrainMulticlass(mlContext, data);
        var (weights, biases, classCount) = StockModels.Parameters(stock);
        var labelNames = MulticlassLabelNames.FromKeyValues(data.Schema, "Species", classCount);
        Assert.Equal(StockModels.ClassNames.Length, classCount);
        Assert.NotNull(labelNames);

        using var ours = new MemoryStream();
        LinearModelFile.WriteMulticlass(ours, data.Schema, "Measurements", "Species",
            StockModels.MulticlassFeatureCount, classCount, weights, biases, labelNames);

        AssertSameEntries(StockModels.Save(mlContext, stock, data.Schema), ours.ToArray());
    }

    [Fact]
    public void WriteMulticlass_SchemaWithHiddenColumn_TrainSchemaDropsItAndSchemaKeepsIt()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.MulticlassData(mlContext);
        Assert.Contains(data.Schema, c => c.IsHidden);

        using var ours = new MemoryStream();
        LinearModelFile.WriteMulticlass(ours, data.Schema, "Measurements", "Species", StockModels.MulticlassFeatureCount,
            3, new float[3 * StockModels.MulticlassFeatureCount], new float[3], labelNames: null);
        var entries = ZipEntries.Read(ours.ToArray());

        Assert.Equal(data.Schema.Count(c => !c.IsHidden), LoadSchema(mlContext, entries["TransformerChain/TrainSchema"]).Count);
        Assert.Equal(data.Schema.Count, LoadSchema(mlContext, entries["Schema"]).Count);
        Assert.DoesNotContain("TransformerChain/Model/LabelNames", entries.Keys);
    }

    private static DataViewSchema LoadSchema(MLContext mlContext, byte[] idv)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, idv);
            var view = mlContext.Data.LoadFromBinary(path);
            Assert.Equal(0, view.GetRowCount());
            return view.Schema;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertSameEntries(byte[] expectedZip, byte[] actualZip)
    {
        var expected = ZipEntries.Read(expectedZip);
        var actual = ZipEntries.Read(actualZip);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected)
        {
            int at = ZipEntries.FirstDifference(bytes, actual[name]);
            Assert.True(at < 0,
                $"Entry '{name}' differs at byte {at} (expected {bytes.Length} bytes, got {actual[name].Length}).");
        }
    }
}
