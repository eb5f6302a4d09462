using System.Buffers.Binary;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.ModelFiles;

namespace MLNet.Adam.Tests.ModelFiles;

/// <summary>The building blocks of the writer, checked against the format facts independently of ML.NET's own output.</summary>
public sealed class ModelFilePartsTests
{
    [Fact]
    public void ModelStringTable_RepeatedStrings_IdsInFirstUseOrderAndCumulativeByteEnds()
    {
        var table = new ModelStringTable();
        Assert.Equal(0, table.GetOrAdd("Features"));
        Assert.Equal(1, table.GetOrAdd("Score"));
        Assert.Equal(0, table.GetOrAdd("Features"));

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            Assert.Equal((16L, 26L), table.WriteTo(writer));
        byte[] bytes = buffer.ToArray();
        Assert.Equal(16 + 26, bytes.Length);
        Assert.Equal(16, BinaryPrimitives.ReadInt64LittleEndian(bytes));
        Assert.Equal(26, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal("FeaturesScore", System.Text.Encoding.Unicode.GetString(bytes, 16, 26));
    }

    [Fact]
    public void ModelKeyWriter_StreamWithStrings_HeaderPointsAtEachPartAndTailCloses()
    {
        var version = new ModelVersion("MC  PRED", 0x00010002, 0x00010001, "MulticlassPredXfer", "Some.Assembly");
        using var key = new ModelKeyWriter(version);
        key.WriteStringId("Features");
        key.Writer.Write(1.5f);
        byte[] bytes = key.ToArray();

        long Int64(int at) => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at));
        Assert.Equal(ModelHeader.Signature, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(256, Int64(0x10));
        Assert.Equal(8, Int64(0x18));
        Assert.Equal(264, Int64(0x20));
        Assert.Equal(8, Int64(0x28));
        Assert.Equal(272, Int64(0x30));
        Assert.Equal(16, Int64(0x38));
        Assert.Equal("MC\0\0PRED"u8.ToArray(), bytes.AsSpan(0x40, 8).ToArray());
        Assert.Equal(0x00010002u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0x48)));
        Assert.Equal(0x00010001u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0x4C)));
        Assert.Equal("MulticlassPredXfer\0\0\0\0\0\0"u8.ToArray(), bytes.AsSpan(0x50, 24).ToArray());
        Assert.Equal(288, Int64(0x90));
        Assert.Equal(26u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0x98)));
        Assert.Equal("Some.Assembly", System.Text.Encoding.Unicode.GetString(bytes, 288, 26));
        Assert.Equal(314, Int64(0x80));
        Assert.Equal(ModelHeader.TailSignature, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(314)));
        Assert.Equal(bytes.Length, Int64(0x88));
    }

    [Fact]
    public void ModelKeyWriter_StreamWithoutStrings_StringTableFieldsStayZero()
    {
        using var key = new ModelKeyWriter(StockModelVersions.CalibratedModel);
        byte[] bytes = key.ToArray();

        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(0, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(0x20 + 8 * i))));
        Assert.Equal(0, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(0x18)));
    }

    [Fact]
    public void ModelKeyWriter_CompletedTwice_ThrowsInvalidOperation()
    {
        using var key = new ModelKeyWriter(StockModelVersions.PlattCalibrator);
        key.ToArray();
        Assert.Throws<InvalidOperationException>(() => key.ToArray());
    }

    [Fact]
    public void ModelHeader_SignatureLongerThanEightCharacters_ThrowsArgumentException()
    {
        using var key = new ModelKeyWriter(new ModelVersion("TOO LONG!", 1, 1, "Loader", "A"));
        Assert.Throws<ArgumentException>(() => key.ToArray());
    }

    [Fact]
    public void ZeroRowDataView_SavedAsBinary_LoadsWithSameColumnsAndAnnotations()
    {
        var mlContext = new MLContext(seed: 1);
        var data = StockModels.MulticlassData(mlContext, rows: 30);
        string path = Path.GetTempFileName();
        try
        {
            using (var file = File.Create(path))
                mlContext.Data.SaveAsBinary(new ZeroRowDataView(data.Schema), file, keepHidden: true);
            var loaded = mlContext.Data.LoadFromBinary(path);

            Assert.Equal(0, loaded.GetRowCount());
            Assert.Equal(data.Schema.Select(c => (c.Name, c.Type, c.IsHidden)), loaded.Schema.Select(c => (c.Name, c.Type, c.IsHidden)));
            VBuffer<ReadOnlyMemory<char>> expected = default, actual = default;
            data.Schema["Species"].GetKeyValues(ref expected);
            loaded.Schema["Species"].GetKeyValues(ref actual);
            Assert.Equal(expected.DenseValues().Select(v => v.ToString()), actual.DenseValues().Select(v => v.ToString()));
            Assert.Equal(StockModels.ClassNames.Length, actual.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MulticlassLabelNames_KeyValuesNotOnePerClassOrNoKey_ReturnsNull()
    {
        var mlContext = new MLContext(seed: 1);
        var rows = new[] { new { Name = "a" }, new { Name = "b" } };
        var raw = mlContext.Data.LoadFromEnumerable(rows);
        var keyed = mlContext.Transforms.Conversion.MapValueToKey("Key", "Name").Fit(raw).Transform(raw);

        Assert.Equal(new[] { "a", "b" }, MulticlassLabelNames.FromKeyValues(keyed.Schema, "Key", 2));
        Assert.Null(MulticlassLabelNames.FromKeyValues(keyed.Schema, "Key", 3));
        Assert.Null(MulticlassLabelNames.FromKeyValues(keyed.Schema, "Name", 2));
    }
}
