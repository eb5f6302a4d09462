using System.IO.Compression;
using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// Fashion-MNIST from the Debian package <c>dataset-fashion-mnist</c>: gzip'd idx files (60,000 training and 10,000
/// test images of 28x28 bytes, labels 0-9). Pixels become 784 float features in [0, 255]; the test split is the
/// 10,000 test images.
/// </summary>
internal static class FashionMnist
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
    public const string TrainImages = "train-images-idx3-ubyte.gz";
    public const string TrainLabels = "train-labels-idx1-ubyte.gz";
    public const string TestImages = "t10k-images-idx3-ubyte.gz";
    public const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    private static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static bool IsInstalled(string directory = DefaultDirectory) =>
        new[] { TrainImages, TrainLabels, TestImages, TestLabels }.All(f => File.Exists(Path.Combine(directory, f)));

    public static LoadedData Load(MLContext context, CompareOptions options, string directory = DefaultDirectory)
    {
        if (!IsInstalled(directory))
        {
            throw new UserInputException(
                $"Fashion-MNIST is not installed (expected {TrainImages} and the other idx files in {directory}). Install it with: " +
                "sudo apt-get update && sudo apt-get install dataset-fashion-mnist");
        }

        int? cap = options.RowsGiven ? options.Rows : null;
        var train = ReadRows(Path.Combine(directory, TrainImages), Path.Combine(directory, TrainLabels), cap);
        var test = ReadRows(Path.Combine(directory, TestImages), Path.Combine(directory, TestLabels), null);
        var label = LabelPlan.Create(nameof(VectorRow.Label), ClassNames, overflow: false, TaskKind.Multiclass);
        var features = new FeaturizationPlan([new ColumnDecision(nameof(VectorRow.Features), ColumnKind.Pixels, "784 pixel intensities 0-255")]);
        int pixels = train[0].Features.Length;
        var separateTest = options.Evaluation == EvaluationMode.BuiltInTestSplit ? VectorRow.ToDataView(context, test, pixels) : null;
        return new LoadedData(
            VectorRow.ToDataView(context, train, pixels), separateTest, label, features,
            $"fashion-mnist ({train.Count} training images{(separateTest is null ? string.Empty : $", {test.Count} test images")}, {pixels} pixels, 10 classes)");
    }

    /// <summary>Reads paired idx image and label files, up to <paramref name="cap"/> rows.</summary>
    public static List<VectorRow> ReadRows(string imagesPath, string labelsPath, int? cap)
    {
        using var images = Open(imagesPath, expectedMagic: 0x00000803, out int count);
        using var labels = Open(labelsPath, expectedMagic: 0x00000801, out int labelCount);
        if (count != labelCount)
        {
            throw new UserInputException($"{imagesPath} holds {count} images but {labelsPath} holds {labelCount} labels.");
        }

        int height = ReadBigEndian(images), width = ReadBigEndian(images), pixels = height * width;
        int rows = Math.Min(count, cap ?? count);
        var result = new List<VectorRow>(rows);
        var buffer = new byte[pixels];
        for (int i = 0; i < rows; i++)
        {
            images.ReadExactly(buffer);
            int label = labels.ReadByte();
            var features = new float[pixels];
            for (int p = 0; p < pixels; p++)
            {
                features[p] = buffer[p];
            }

            result.Add(new VectorRow { Label = ClassNames[label], Features = features });
        }

        return result;
    }

    private static BufferedStream Open(string path, int expectedMagic, out int count)
    {
        var stream = new BufferedStream(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), 1 << 16);
        int magic = ReadBigEndian(stream);
        if (magic != expectedMagic)
        {
            stream.Dispose();
            throw new UserInputException($"{path} is not an idx file of the expected kind (magic 0x{magic:X8}, expected 0x{expectedMagic:X8}).");
        }

        count = ReadBigEndian(stream);
        return stream;
    }

    private static int ReadBigEndian(Stream stream)
    {
        Span<byte> bytes = stackalloc byte[4];
        stream.ReadExactly(bytes);
        return (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
    }
}
