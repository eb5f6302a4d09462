using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Tests.Support;

/// <summary>
/// Real data sets installed by scripts/install-test-data.sh (CI installs them): small tabular sets from Debian's
/// python3-sklearn package and Fashion-MNIST from dataset-fashion-mnist. Nothing is committed to the repository.
/// </summary>
public static class RealData
{
    public const string SklearnDirectory = "/usr/share/datasets/sklearn";
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";
    public const string InstallHint = "run `sudo bash scripts/install-test-data.sh` (Debian packages python3-sklearn data and dataset-fashion-mnist)";

    public static bool HasSklearn => File.Exists(Path.Combine(SklearnDirectory, "breast_cancer.csv"));

    public static bool HasFashionMnist => File.Exists(Path.Combine(FashionMnistDirectory, "train-images-idx3-ubyte.gz"));

    /// <summary>A data row: features and the class index.</summary>
    public sealed class Row
    {
        public float[] Features { get; set; } = [];

        public int Class { get; set; }
    }

    /// <summary>Reads scikit-learn's bundled CSV format: a header "rows,features,name0,name1,...", then features and the class.</summary>
    public static (List<Row> Rows, string[] ClassNames) ReadSklearnCsv(string fileName)
    {
        var lines = File.ReadAllLines(Path.Combine(SklearnDirectory, fileName));
        var header = lines[0].Split(',');
        int features = int.Parse(header[1], CultureInfo.InvariantCulture);
        var names = header.Skip(2).ToArray();
        var rows = new List<Row>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            rows.Add(new Row
            {
                Features = cells.Take(features).Select(c => float.Parse(c, CultureInfo.InvariantCulture)).ToArray(),
                Class = (int)float.Parse(cells[features], CultureInfo.InvariantCulture),
            });
        }

        return (rows, names);
    }

    /// <summary>Reads Fashion-MNIST (idx, gzip): pixels scaled to [0, 1].</summary>
    public static List<Row> ReadFashionMnist(bool train, int? limit = null)
    {
        string prefix = train ? "train" : "t10k";
        using var images = new GZipStream(File.OpenRead(Path.Combine(FashionMnistDirectory, $"{prefix}-images-idx3-ubyte.gz")), CompressionMode.Decompress);
        using var labels = new GZipStream(File.OpenRead(Path.Combine(FashionMnistDirectory, $"{prefix}-labels-idx1-ubyte.gz")), CompressionMode.Decompress);
        var imageReader = new BinaryReader(images);
        var labelReader = new BinaryReader(labels);
        ReadBigEndian(imageReader);
        int count = ReadBigEndian(imageReader);
        int size = ReadBigEndian(imageReader) * ReadBigEndian(imageReader);
        ReadBigEndian(labelReader);
        ReadBigEndian(labelReader);
        count = Math.Min(count, limit ?? count);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            var pixels = imageReader.ReadBytes(size);
            rows.Add(new Row { Features = pixels.Select(p => p / 255f).ToArray(), Class = labelReader.ReadByte() });
        }

        return rows;
    }

    /// <summary>Turns rows into a view with a Boolean "Label" (class 1 = true) and a "Features" vector.</summary>
    public static IDataView ToBinaryView(MLContext context, IEnumerable<Row> rows, int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return context.Data.LoadFromEnumerable(rows.Select(r => new BinaryRow { Label = r.Class == 1, Features = r.Features }).ToList(), schema);
    }

    /// <summary>Turns rows into a view with a key "Label" (names from <paramref name="classNames"/>) and a "Features" vector.</summary>
    public static IDataView ToMulticlassView(MLContext context, IEnumerable<Row> rows, int featureCount, IReadOnlyList<string> classNames)
    {
        var schema = SchemaDefinition.Create(typeof(TextLabelRow));
        schema[nameof(TextLabelRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        var view = context.Data.LoadFromEnumerable(rows.Select(r => new TextLabelRow { LabelText = classNames[r.Class], Features = r.Features }).ToList(), schema);
        var keyData = classNames.Select(n => new KeyName { Name = n }).ToList();
        return context.Transforms.Conversion.MapValueToKey("Label", "LabelText", keyData: context.Data.LoadFromEnumerable(keyData))
            .Fit(view).Transform(view);
    }

    private static int ReadBigEndian(BinaryReader reader)
    {
        var bytes = reader.ReadBytes(4);
        return (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class TextLabelRow
    {
        public string LabelText { get; set; } = string.Empty;

        public float[] Features { get; set; } = [];
    }

    private sealed class KeyName
    {
        public string Name { get; set; } = string.Empty;
    }
}
