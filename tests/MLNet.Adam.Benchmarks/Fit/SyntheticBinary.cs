using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>
/// Seeded binary data with logistic labels: z ~ N(0, I), P(label) = sigmoid(w.z + 0.25) with w ~ N(0, 4 / d) drawn
/// from <c>truthSeed</c> (the score's standard deviation is about 2, so the Bayes accuracy is about 0.8: a noisy,
/// not separable problem). Stored features are offset + scale * z (with <c>rawScales</c>, per-feature offsets in
/// [0, 4) and scales in [0.5, 3.5), so that a normalizer has work to do) or z itself. Rows are drawn lazily from
/// <c>rowSeed</c>: enumerating twice gives the same rows, and a test set is the same truth with another row seed.
/// </summary>
internal static class SyntheticBinary
{
    public sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    public static IEnumerable<Row> Rows(int count, int features, int truthSeed, int rowSeed, bool rawScales)
    {
        var truthRandom = new Random(truthSeed);
        var weights = new double[features];
        var offsets = new double[features];
        var scales = new double[features];
        for (int j = 0; j < features; j++)
        {
            weights[j] = Gaussian(truthRandom) * 2 / Math.Sqrt(features);
            offsets[j] = rawScales ? truthRandom.NextDouble() * 4 : 0;
            scales[j] = rawScales ? 0.5 + (truthRandom.NextDouble() * 3) : 1;
        }

        var random = new Random(rowSeed);
        for (int i = 0; i < count; i++)
        {
            var stored = new float[features];
            double score = 0.25;
            for (int j = 0; j < features; j++)
            {
                double z = Gaussian(random);
                score += weights[j] * z;
                stored[j] = (float)(offsets[j] + (scales[j] * z));
            }

            yield return new Row { Label = random.NextDouble() < 1 / (1 + Math.Exp(-score)), Features = stored };
        }
    }

    /// <summary>A lazy view over <see cref="Rows"/> (nothing materialized), with a known-size feature vector.</summary>
    public static IDataView View(MLContext context, IEnumerable<Row> rows, int features)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return context.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>
    /// Writes the rows to an ML.NET binary file (<c>SaveAsBinary</c>) through a temporary file that is renamed when
    /// complete, so an interrupted write is never reused.
    /// </summary>
    public static void WriteIdv(string path, int count, int features, int truthSeed, int rowSeed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string partial = path + ".partial";
        var context = new MLContext(truthSeed);
        using (var stream = File.Create(partial))
        {
            context.Data.SaveAsBinary(View(context, Rows(count, features, truthSeed, rowSeed, rawScales: false), features), stream);
        }

        File.Move(partial, path, overwrite: true);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
