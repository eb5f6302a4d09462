using Microsoft.ML;
using MLNet.Adam.ModelFiles;

namespace MLNet.Adam.Tests.ModelFiles;

/// <summary>Inputs that would give a zip ML.NET loads but scores wrongly are rejected before anything is written.</summary>
public sealed class ModelFileArgumentTests
{
    private const int F = StockModels.MulticlassFeatureCount;
    private static readonly MLContext Context = new(seed: 1);
    private static readonly DataViewSchema BinarySchema = StockModels.BinaryData(Context, rows: 10).Schema;
    private static readonly DataViewSchema MulticlassSchema = StockModels.MulticlassData(Context, rows: 30).Schema;

    [Fact]
    public void WriteBinary_WeightCountDiffersFromFeatureSlots_ThrowsNamingFeatureColumn()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            LinearModelFile.WriteBinary(new MemoryStream(), BinarySchema, "Features", new float[StockModels.BinaryFeatureCount + 1], 0));
        Assert.Equal("featureColumnName", error.ParamName);
    }

    [Fact]
    public void WriteBinary_MissingFeatureColumn_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() =>
            LinearModelFile.WriteBinary(new MemoryStream(), BinarySchema, "Pixels", new float[StockModels.BinaryFeatureCount], 0));

    [Fact]
    public void WriteBinary_FeatureColumnNotFloatVector_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() =>
            LinearModelFile.WriteBinary(new MemoryStream(), BinarySchema, "Label", new float[1], 0));

    [Theory]
    [InlineData(float.NaN, 0f)]
    [InlineData(0f, float.PositiveInfinity)]
    public void WriteBinary_NonFiniteParameter_ThrowsArgumentException(float weight, float bias)
    {
        var weights = new float[StockModels.BinaryFeatureCount];
        weights[2] = weight;
        Assert.Throws<ArgumentException>(() => LinearModelFile.WriteBinary(new MemoryStream(), BinarySchema, "Features", weights, bias));
    }

    [Fact]
    public void WriteBinary_ReadOnlyStream_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() =>
            LinearModelFile.WriteBinary(new MemoryStream(new byte[8], writable: false), BinarySchema, "Features",
                new float[StockModels.BinaryFeatureCount], 0));

    [Fact]
    public void WriteMulticlass_LabelColumnNotKey_ThrowsNamingLabelColumn()
    {
        var error = Assert.Throws<ArgumentException>(() => WriteMulticlass(BinarySchema, "Features", "Label",
            StockModels.BinaryFeatureCount, 2, labelNames: null));
        Assert.Equal("labelColumnName", error.ParamName);
    }

    [Fact]
    public void WriteMulticlass_ClassCountDiffersFromKeyCount_ThrowsNamingLabelColumn()
    {
        var error = Assert.Throws<ArgumentException>(() => WriteMulticlass(MulticlassSchema, "Measurements", "Species", F, 4, labelNames: null));
        Assert.Equal("labelColumnName", error.ParamName);
    }

    [Fact]
    public void WriteMulticlass_WeightCountNotClassesTimesFeatures_ThrowsNamingWeights()
    {
        var error = Assert.Throws<ArgumentException>(() => LinearModelFile.WriteMulticlass(new MemoryStream(), MulticlassSchema,
            "Measurements", "Species", F, 3, new float[3 * F - 1], new float[3], labelNames: null));
        Assert.Equal("classMajorWeights", error.ParamName);
    }

    [Fact]
    public void WriteMulticlass_BiasCountNotClassCount_ThrowsNamingBiases()
    {
        var error = Assert.Throws<ArgumentException>(() => LinearModelFile.WriteMulticlass(new MemoryStream(), MulticlassSchema,
            "Measurements", "Species", F, 3, new float[3 * F], new float[2], labelNames: null));
        Assert.Equal("biases", error.ParamName);
    }

    [Theory]
    [InlineData("a,b")]
    [InlineData("a,,c")]
    public void WriteMulticlass_BadLabelNames_ThrowsNamingLabelNames(string names)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            WriteMulticlass(MulticlassSchema, "Measurements", "Species", F, 3, names.Split(',')));
        Assert.Equal("labelNames", error.ParamName);
    }

    [Fact]
    public void WriteMulticlass_ZeroFeatures_ThrowsArgumentOutOfRange()
        => Assert.Throws<ArgumentOutOfRangeException>(() => LinearModelFile.WriteMulticlass(new MemoryStream(), MulticlassSchema,
            "Measurements", "Species", 0, 3, Array.Empty<float>(), new float[3], labelNames: null));

    private static void WriteMulticlass(
        DataViewSchema schema, string features, string label, int featureCount, int classCount, IReadOnlyList<string>? labelNames)
        => LinearModelFile.WriteMulticlass(new MemoryStream(), schema, features, label, featureCount, classCount,
            new float[featureCount * classCount], new float[classCount], labelNames);
}
