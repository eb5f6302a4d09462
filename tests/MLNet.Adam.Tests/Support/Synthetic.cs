using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Tests.Support;

/// <summary>Seeded synthetic data sets for tests.</summary>
public static class Synthetic
{
    public sealed class BinaryRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];

        public float Weight { get; set; } = 1;

        public float Number { get; set; }
    }

    public sealed class MulticlassRow
    {
        public uint Label { get; set; }

        public float[] Features { get; set; } = [];

        public float Weight { get; set; } = 1;
    }

    /// <summary>Rows drawn from a logistic model with random weights; features have offsets and scales like raw data.</summary>
    public static List<BinaryRow> BinaryRows(int rows, int features, int seed, double noise = 1.0)
    {
        var random = new Random(seed);
        var truth = Enumerable.Range(0, features).Select(_ => Gaussian(random)).ToArray();
        var offsets = Enumerable.Range(0, features).Select(_ => random.NextDouble() * 4).ToArray();
        var scales = Enumerable.Range(0, features).Select(_ => 0.5 + (random.NextDouble() * 3)).ToArray();
        var list = new List<BinaryRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            var z = new double[features];
            double score = 0.3;
            for (int j = 0; j < features; j++)
            {
                z[j] = Gaussian(random);
                score += truth[j] * z[j];
            }

            bool label = random.NextDouble() < 1 / (1 + Math.Exp(-score / noise));
            list.Add(new BinaryRow
            {
                Label = label,
                Features = z.Select((v, j) => (float)(offsets[j] + (scales[j] * v))).ToArray(),
                Number = i,
            });
        }

        return list;
    }

    /// <summary>Rows around K random centers. Label holds the 0-based class (LoadFromEnumerable turns it into key value class + 1; values     /// <summary>Rows around K random centers (class k is key value k + 1).</summary>gt;= K load as missing).</summary>
    public static List<MulticlassRow> MulticlassRows(int rows, int features, int classes, int seed, double spread = 1.5)
    {
        var random = new Random(seed);
        var centers = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, features).Select(_ => Gaussian(random)).ToArray()).ToArray();
        var list = new List<MulticlassRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            int c = random.Next(classes);
            list.Add(new MulticlassRow
            {
                Label = (uint)c,
                Features = centers[c].Select(m => (float)(m + (spread * Gaussian(random)))).ToArray(),
            });
        }

        return list;
    }

    public static IDataView BinaryView(MLContext context, IEnumerable<BinaryRow> rows, int features)
    {
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return context.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    public static IDataView MulticlassView(MLContext context, IEnumerable<MulticlassRow> rows, int features, int classes)
    {
        var schema = SchemaDefinition.Create(typeof(MulticlassRow));
        schema[nameof(MulticlassRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        schema[nameof(MulticlassRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        return context.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    public static IDataView Binary(MLContext context, int rows = 400, int features = 8, int seed = 1) =>
        BinaryView(context, BinaryRows(rows, features, seed), features);

    public static IDataView Multiclass(MLContext context, int rows = 600, int features = 6, int classes = 4, int seed = 2) =>
        MulticlassView(context, MulticlassRows(rows, features, classes, seed), features, classes);

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
