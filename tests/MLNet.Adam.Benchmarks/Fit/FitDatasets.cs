using Microsoft.ML;
using MLNet.Adam.Tests.Support;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>Training and test views of one benchmark data set, featurized as a user would, before any caching.</summary>
internal sealed record PreparedData(IDataView Train, IDataView Test, bool IsMulticlass, bool IsStreamed);

/// <summary>
/// The data sets of issue 11's table (and the labeler of issue 12), each with a fixed seed. Featurizers are fitted on
/// the training rows only.
/// </summary>
internal static class FitDatasets
{
    public const int Seed = 1;
    public const double TestFraction = 0.2;
    public const int StreamedRows = 4_000_000, StreamedTestRows = 100_000, StreamedFeatures = 100;
    private const int SyntheticRows = 20_000, SyntheticTestRows = 5_000, SyntheticFeatures = 50;

    public static string Describe(string dataset) => dataset switch
    {
        "synthetic" => $"synthetic binary, {SyntheticRows:N0} x {SyntheticFeatures} (logistic labels, raw offsets and scales), NormalizeMeanVariance; {SyntheticTestRows:N0} test rows",
        "adult" => "UCI Adult (../shared/data/adult.txt), OneHotEncoding of the 8 text columns + NormalizeMeanVariance; 80/20 split",
        "fashion-mnist" => "Fashion-MNIST, 60,000 x 784, pixels / 255, 10 classes; the 10,000 test images",
        "streamed" => $"{StreamedRows:N0} x {StreamedFeatures} binary (standard Gaussian features, logistic labels) read with LoadFromBinary, not cached; {StreamedTestRows:N0} test rows",
        "labeler" => "GitHub issue labeler (../shared/data/github-issues-corefx.tsv), the sample's FeaturizeText pipeline, 22 classes; 80/20 split",
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "Unknown data set."),
    };

    public static bool IsMulticlass(string dataset) => dataset is "fashion-mnist" or "labeler";

    public static string StreamedTrainPath(string cacheDirectory) =>
        Path.Combine(cacheDirectory, $"streamed-train-{StreamedRows}x{StreamedFeatures}-seed{Seed}.idv");

    public static string StreamedTestPath(string cacheDirectory) =>
        Path.Combine(cacheDirectory, $"streamed-test-{StreamedTestRows}x{StreamedFeatures}-seed{Seed}.idv");

    /// <summary>Writes the streamed data set's files if they are not there yet (once; later runs reuse them).</summary>
    public static void EnsureStreamed(string cacheDirectory, TextWriter log)
    {
        foreach (var (path, rows, rowSeed) in new[] { (StreamedTrainPath(cacheDirectory), StreamedRows, Seed + 1), (StreamedTestPath(cacheDirectory), StreamedTestRows, Seed + 2) })
        {
            if (File.Exists(path))
            {
                continue;
            }

            log.WriteLine($"Writing {rows:N0} rows to {path} (once; reused by later runs)...");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            SyntheticBinary.WriteIdv(path, rows, StreamedFeatures, truthSeed: Seed, rowSeed: rowSeed);
            log.WriteLine($"  done in {clock.Elapsed.TotalSeconds:F0} s, {new FileInfo(path).Length / 1e6:F0} MB.");
        }
    }

    public static PreparedData Load(MLContext ml, string dataset, string cacheDirectory)
    {
        switch (dataset)
        {
            case "synthetic":
            {
                var train = SyntheticBinary.View(ml, SyntheticBinary.Rows(SyntheticRows, SyntheticFeatures, Seed, Seed + 1, rawScales: true).ToList(), SyntheticFeatures);
                var test = SyntheticBinary.View(ml, SyntheticBinary.Rows(SyntheticTestRows, SyntheticFeatures, Seed, Seed + 2, rawScales: true).ToList(), SyntheticFeatures);
                var normalizer = ml.Transforms.NormalizeMeanVariance("Features").Fit(train);
                return new PreparedData(normalizer.Transform(train), normalizer.Transform(test), false, false);
            }

            case "adult":
                return Split(ml, RealData.LoadAdult(ml), RealData.AdultFeaturization(ml), multiclass: false);
            case "labeler":
                return Split(ml, RealData.LoadLabeler(ml), RealData.LabelerFeaturization(ml), multiclass: true);
            case "fashion-mnist":
            {
                if (!RealData.HasFashionMnist)
                {
                    throw new FileNotFoundException($"Fashion-MNIST is not installed in {RealData.FashionMnistDirectory}: {RealData.InstallHint}.");
                }

                string[] names = Enumerable.Range(0, 10).Select(i => $"class{i}").ToArray();
                return new PreparedData(
                    RealData.ToMulticlassView(ml, RealData.ReadFashionMnist(train: true), 784, names),
                    RealData.ToMulticlassView(ml, RealData.ReadFashionMnist(train: false), 784, names), true, false);
            }

            case "streamed":
            {
                string train = StreamedTrainPath(cacheDirectory), test = StreamedTestPath(cacheDirectory);
                if (!File.Exists(train) || !File.Exists(test))
                {
                    throw new FileNotFoundException($"{train} or {test} is missing: the `fit` verb writes them before running the fits.");
                }

                return new PreparedData(ml.Data.LoadFromBinary(train), ml.Data.LoadFromBinary(test), false, true);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "Unknown data set.");
        }
    }

    private static PreparedData Split(MLContext ml, IDataView data, IEstimator<ITransformer> featurization, bool multiclass)
    {
        var split = ml.Data.TrainTestSplit(data, TestFraction, seed: Seed);
        var featurizer = featurization.Fit(split.TrainSet);
        return new PreparedData(featurizer.Transform(split.TrainSet), featurizer.Transform(split.TestSet), multiclass, false);
    }
}
