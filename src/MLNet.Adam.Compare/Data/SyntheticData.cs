using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// Seeded datasets drawn from a known linear model, so that every compared trainer can fit them: standard normal
/// latent features, labels sampled from a logistic (binary) or softmax (multiclass) model with noise, and features
/// stored with per-column scales and offsets so that normalization matters as in real data.
/// </summary>
internal static class SyntheticData
{
    public static LoadedData Load(MLContext context, CompareOptions options)
    {
        var binary = options.Dataset == BuiltInDataset.SyntheticBinary;
        int classes = binary ? 2 : options.Classes;
        var rows = Generate(options.Rows, options.Features, classes, options.Seed);
        var names = binary ? new[] { "negative", "positive" } : Enumerable.Range(0, classes).Select(ClassName);
        var label = LabelPlan.Create(nameof(VectorRow.Label), names, overflow: false, binary ? TaskKind.Binary : TaskKind.Multiclass);
        var features = new FeaturizationPlan([FeaturizationPlan.Decide(new ColumnProfile(nameof(VectorRow.Features), 0) { IsNumericVector = true })]);
        var name = binary ? "synthetic-binary" : "synthetic-multiclass";
        return new LoadedData(
            VectorRow.ToDataView(context, rows, options.Features), null, label, features,
            $"{name} (seed {options.Seed}: {options.Rows} rows, {options.Features} features, {classes} classes)");
    }

    public static string ClassName(int index) => $"class{index:D2}";

    /// <summary>Rows from a seeded logistic (classes = 2) or softmax model, in memory.</summary>
    public static List<VectorRow> Generate(int rows, int features, int classes, int seed)
    {
        var result = new List<VectorRow>(rows);
        result.AddRange(Rows(rows, features, classes, seed));
        return result;
    }

    /// <summary>
    /// The same rows as <see cref="Generate"/>, produced lazily one at a time: each enumeration restarts from the seed,
    /// so a streaming consumer (a binary IDV writer) never holds more than one row.
    /// </summary>
    public static IEnumerable<VectorRow> Rows(int rows, int features, int classes, int seed)
    {
        var random = new Random(seed);
        int outputs = classes == 2 ? 1 : classes;
        var weights = new double[outputs, features];
        for (int k = 0; k < outputs; k++)
        {
            for (int j = 0; j < features; j++)
            {
                // Only some features matter, as in real data: the rest are noise a regularized model should ignore.
                weights[k, j] = random.NextDouble() < 0.6 ? Gaussian(random) * 3 / Math.Sqrt(features) : 0;
            }
        }

        var scales = Enumerable.Range(0, features).Select(_ => Math.Exp((random.NextDouble() * 4) - 2)).ToArray();
        var offsets = Enumerable.Range(0, features).Select(_ => Gaussian(random) * 5).ToArray();
        var latent = new double[features];
        var logits = new double[outputs];
        for (int i = 0; i < rows; i++)
        {
            var vector = new float[features];
            for (int j = 0; j < features; j++)
            {
                latent[j] = Gaussian(random);
                vector[j] = (float)((latent[j] * scales[j]) + offsets[j]);
            }

            for (int k = 0; k < outputs; k++)
            {
                double sum = 0;
                for (int j = 0; j < features; j++)
                {
                    sum += weights[k, j] * latent[j];
                }

                logits[k] = sum;
            }

            int label = classes == 2 ? (random.NextDouble() < 1 / (1 + Math.Exp(-logits[0])) ? 1 : 0) : SampleSoftmax(logits, random);
            yield return new VectorRow { Label = classes == 2 ? (label == 1 ? "positive" : "negative") : ClassName(label), Features = vector };
        }
    }

    private static int SampleSoftmax(double[] logits, Random random)
    {
        double max = logits.Max(), total = logits.Sum(l => Math.Exp(l - max)), u = random.NextDouble() * total;
        for (int k = 0; k < logits.Length; k++)
        {
            u -= Math.Exp(logits[k] - max);
            if (u <= 0)
            {
                return k;
            }
        }

        return logits.Length - 1;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
