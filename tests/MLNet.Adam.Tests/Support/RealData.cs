using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Tests.Support;

/// <summary>
/// Real data sets: small tabular sets from Debian's python3-sklearn package and Fashion-MNIST from
/// dataset-fashion-mnist (installed by scripts/install-test-data.sh; CI installs them), and the public files in
/// <c>../shared/data</c> beside the repository (UCI Adult, the GitHub issue labeler's corefx issues; see
/// <c>../shared/data/SOURCES.md</c>). Nothing is committed to the repository. The fit benchmark
/// (tests/MLNet.Adam.Benchmarks) compiles this file too, so tests and benchmark read the data the same way.
/// </summary>
public static class RealData
{
    public const string SklearnDirectory = "/usr/share/datasets/sklearn";
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";
    public const string InstallHint = "run `sudo bash scripts/install-test-data.sh` (Debian packages python3-sklearn data and dataset-fashion-mnist)";
    public const string AdultFileName = "adult.txt";
    public const string LabelerFileName = "github-issues-corefx.tsv";

    /// <summary>Adult's header, as in dotnet/machinelearning's test/data/adult.txt (", " separated).</summary>
    public static readonly string[] AdultColumns =
    [
        "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation", "relationship",
        "ethnicity", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "label(IsOver50K)",
    ];

    /// <summary>Adult's 8 text (categorical) columns, as named in the view <see cref="LoadAdult"/> returns.</summary>
    public static readonly string[] AdultTextColumns =
        ["workclass", "education", "marital-status", "occupation", "relationship", "ethnicity", "sex", "native-country"];

    /// <summary>Adult's 6 numeric columns, as named in the view <see cref="LoadAdult"/> returns.</summary>
    public static readonly string[] AdultNumericColumns =
        ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"];

    public static bool HasSklearn => File.Exists(Path.Combine(SklearnDirectory, "breast_cancer.csv"));

    public static bool HasIris => File.Exists(Path.Combine(SklearnDirectory, "iris.csv"));

    public static bool HasFashionMnist => File.Exists(Path.Combine(FashionMnistDirectory, "train-images-idx3-ubyte.gz"));

    public static bool HasAdult => SharedFile(AdultFileName) is not null;

    public static bool HasLabeler => SharedFile(LabelerFileName) is not null;

    /// <summary>How to obtain a missing file of ../shared/data (they are byte copies of files in public repositories).</summary>
    public static string SharedDataHint(string fileName) => fileName switch
    {
        AdultFileName => "put dotnet/machinelearning's test/data/adult.txt (commit cd2fbd61) at ../shared/data/adult.txt beside the repository: " +
            "`mkdir -p ../shared/data && curl -fsSL -o ../shared/data/adult.txt https://raw.githubusercontent.com/dotnet/machinelearning/cd2fbd61/test/data/adult.txt`",
        LabelerFileName => "put dotnet/machinelearning-samples' samples/csharp/end-to-end-apps/MulticlassClassification-GitHubLabeler/GitHubLabeler/Data/corefx-issues-train.tsv " +
            "(commit 427ccb68) at ../shared/data/github-issues-corefx.tsv beside the repository: `mkdir -p ../shared/data && curl -fsSL -o ../shared/data/github-issues-corefx.tsv " +
            "https://raw.githubusercontent.com/dotnet/machinelearning-samples/427ccb68/samples/csharp/end-to-end-apps/MulticlassClassification-GitHubLabeler/GitHubLabeler/Data/corefx-issues-train.tsv`",
        _ => throw new ArgumentOutOfRangeException(nameof(fileName), fileName, "Not a file of ../shared/data."),
    };

    /// <summary>
    /// The path of <paramref name="fileName"/> in <c>../shared/data</c> relative to the repository root (the folder
    /// holding MLNet.Adam.sln, found upwards from the running assembly), or null when it is absent.
    /// </summary>
    public static string? SharedFile(string fileName)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MLNet.Adam.sln")))
            {
                string path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", fileName));
                return File.Exists(path) ? path : null;
            }
        }

        return null;
    }

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

    /// <summary>
    /// Reads UCI Adult (<c>../shared/data/adult.txt</c>): 32,561 rows, ", " separated, a header checked against
    /// <see cref="AdultColumns"/>. The view has the 6 numeric columns as floats, the 8 text columns as strings
    /// (<c>?</c>, the file's missing value, is kept as its own category) and a Boolean "Label".
    /// </summary>
    public static IDataView LoadAdult(MLContext context)
    {
        string path = SharedFile(AdultFileName) ?? throw new FileNotFoundException($"{AdultFileName} is missing: {SharedDataHint(AdultFileName)}.");
        using var lines = File.ReadLines(path).GetEnumerator();
        if (!lines.MoveNext() || !lines.Current.Split(',').Select(c => c.Trim()).SequenceEqual(AdultColumns))
        {
            throw new InvalidDataException($"{path}: the header is not the expected \"{string.Join(", ", AdultColumns)}\".");
        }

        var rows = new List<AdultRow>();
        int lineNumber = 1;
        while (lines.MoveNext())
        {
            lineNumber++;
            if (lines.Current.Length == 0)
            {
                continue;
            }

            var cells = lines.Current.Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length != AdultColumns.Length)
            {
                throw new InvalidDataException($"{path} line {lineNumber}: {cells.Length} fields, expected {AdultColumns.Length}.");
            }

            float Number(int index) => float.Parse(cells[index], CultureInfo.InvariantCulture);
            rows.Add(new AdultRow
            {
                Age = Number(0), Workclass = cells[1], Fnlwgt = Number(2), Education = cells[3], EducationNum = Number(4),
                MaritalStatus = cells[5], Occupation = cells[6], Relationship = cells[7], Ethnicity = cells[8], Sex = cells[9],
                CapitalGain = Number(10), CapitalLoss = Number(11), HoursPerWeek = Number(12), NativeCountry = cells[13],
                Label = cells[14] switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw new InvalidDataException($"{path} line {lineNumber}: label(IsOver50K) is \"{cells[14]}\", expected 0 or 1."),
                },
            });
        }

        return context.Data.LoadFromEnumerable(rows);
    }

    /// <summary>
    /// Adult's featurization as a user writes it: OneHotEncoding of the 8 text columns, concatenated with the 6
    /// numeric ones into "Features", then NormalizeMeanVariance (which keeps the one-hot vectors sparse).
    /// </summary>
    public static IEstimator<ITransformer> AdultFeaturization(MLContext context)
    {
        var oneHot = AdultTextColumns.Select(c => new InputOutputColumnPair(c + ".OneHot", c)).ToArray();
        return context.Transforms.Categorical.OneHotEncoding(oneHot)
            .Append(context.Transforms.Concatenate("Features", AdultNumericColumns.Concat(oneHot.Select(p => p.OutputColumnName)).ToArray()))
            .Append(context.Transforms.NormalizeMeanVariance("Features"));
    }

    /// <summary>
    /// Reads the GitHub issue labeler's file (<c>../shared/data/github-issues-corefx.tsv</c>: ID, Area, Title,
    /// Description; tab-separated, header) as the sample does (<c>LoadFromTextFile</c>, no quoting).
    /// </summary>
    public static IDataView LoadLabeler(MLContext context)
    {
        string path = SharedFile(LabelerFileName) ?? throw new FileNotFoundException($"{LabelerFileName} is missing: {SharedDataHint(LabelerFileName)}.");
        return context.Data.LoadFromTextFile<GitHubIssue>(path, separatorChar: '\t', hasHeader: true, allowSparse: false);
    }

    /// <summary>
    /// The GitHub issue labeler sample's data pipeline: MapValueToKey("Label", "Area"), FeaturizeText on Title and on
    /// Description, concatenated into "Features", with a cache checkpoint.
    /// </summary>
    public static IEstimator<ITransformer> LabelerFeaturization(MLContext context) =>
        context.Transforms.Conversion.MapValueToKey("Label", nameof(GitHubIssue.Area))
            .Append(context.Transforms.Text.FeaturizeText("TitleFeaturized", nameof(GitHubIssue.Title)))
            .Append(context.Transforms.Text.FeaturizeText("DescriptionFeaturized", nameof(GitHubIssue.Description)))
            .Append(context.Transforms.Concatenate("Features", "TitleFeaturized", "DescriptionFeaturized"))
            .AppendCacheCheckpoint(context);

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

    /// <summary>A row of the labeler's file, declared as in the GitHub labeler sample.</summary>
    public sealed class GitHubIssue
    {
        [LoadColumn(0)]
        public string ID { get; set; } = string.Empty;

        [LoadColumn(1)]
        public string Area { get; set; } = string.Empty;

        [LoadColumn(2)]
        public string Title { get; set; } = string.Empty;

        [LoadColumn(3)]
        public string Description { get; set; } = string.Empty;
    }

    private sealed class AdultRow
    {
        [ColumnName("age")]
        public float Age { get; set; }

        [ColumnName("workclass")]
        public string Workclass { get; set; } = string.Empty;

        [ColumnName("fnlwgt")]
        public float Fnlwgt { get; set; }

        [ColumnName("education")]
        public string Education { get; set; } = string.Empty;

        [ColumnName("education-num")]
        public float EducationNum { get; set; }

        [ColumnName("marital-status")]
        public string MaritalStatus { get; set; } = string.Empty;

        [ColumnName("occupation")]
        public string Occupation { get; set; } = string.Empty;

        [ColumnName("relationship")]
        public string Relationship { get; set; } = string.Empty;

        [ColumnName("ethnicity")]
        public string Ethnicity { get; set; } = string.Empty;

        [ColumnName("sex")]
        public string Sex { get; set; } = string.Empty;

        [ColumnName("capital-gain")]
        public float CapitalGain { get; set; }

        [ColumnName("capital-loss")]
        public float CapitalLoss { get; set; }

        [ColumnName("hours-per-week")]
        public float HoursPerWeek { get; set; }

        [ColumnName("native-country")]
        public string NativeCountry { get; set; } = string.Empty;

        public bool Label { get; set; }
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
