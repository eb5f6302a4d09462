using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;
using MLNet.Adam.Training;

namespace MLNet.Adam.Core.Tests.Training;

/// <summary>Seeded synthetic rows and the training pieces built on them, without ML.NET.</summary>
internal sealed class TrainingFixture
{
    public TrainingFixture(int rows, int features, int classes, int seed = 5, double offset = 3, double noise = 1, bool standardize = true)
    {
        var random = new Random(seed);
        Binary = classes == 2;
        Rows = new PackedRows(features, isSparse: false, rows);
        var truth = Enumerable.Range(0, features * classes).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var mean = new double[features];
        var variance = new double[features];
        var values = new float[features];
        var totals = new double[classes];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < features; j++)
            {
                // Offsets and unequal scales: the standardization has something to do.
                values[j] = (float)(offset + ((j + 1) * Normal(random)));
            }

            var scores = Enumerable.Range(0, classes).Select(c => Enumerable.Range(0, features).Sum(j => truth[(c * features) + j] * (values[j] - offset) / (j + 1)) + (noise * Normal(random))).ToArray();
            int label = Array.IndexOf(scores, scores.Max());
            Rows.AddDense(values, label, 1f);
            totals[label]++;
            for (int j = 0; j < features; j++)
            {
                mean[j] += values[j] / rows;
                variance[j] += values[j] * (double)values[j] / rows;
            }
        }

        for (int j = 0; j < features; j++)
        {
            variance[j] -= mean[j] * mean[j];
        }

        ClassTotals = totals;
        Shape = Binary ? ModelShape.Binary(features) : ModelShape.Multiclass(features, classes, WeightLayout.ClassMajor);
        Map = standardize ? new Standardization(Shape, mean, variance) : Standardization.None(Shape);
        Gradients = new ShardedGradient(() => KernelFactory.CreateGradient(Shape, false, KernelBackend.Managed), Shape, 1);
    }

    public bool Binary { get; }

    public PackedRows Rows { get; }

    public double[] ClassTotals { get; }

    public ModelShape Shape { get; }

    public Standardization Map { get; }

    public ShardedGradient Gradients { get; }

    public LinearObjective Objective(float l2 = 1, float l1 = 0) => new(Map, Gradients, l2, l1, 0, false, Rows.Count);

    public static DescentSettings Settings(int maxEpochs = 200, double tolerance = 1e-4) => new(
        new AdamHyperparameters { LearningRate = 0.05f }, 0, tolerance, 2, maxEpochs,
        (_, minDelta) => new ReduceOnPlateauSchedule(0.05f, 0.25f, 0, minDelta, 0.05f * 1e-3f), new FusedAdamUpdateKernel());

    public float[] InitialTheta()
    {
        var raw = ParameterLayout.Initial(Shape, ClassTotals, Enumerable.Repeat(1f, ClassTotals.Length).ToArray());
        var theta = new float[Shape.ParameterCount];
        Map.FromRaw(raw, theta);
        return theta;
    }

    public MiniBatch AllRows()
    {
        var batch = new MiniBatch(Shape.FeatureCount, Rows.Count, isSparse: false);
        Rows.CopyRange(0, Rows.Count, batch);
        return batch;
    }

    public double MeanLoss(LinearObjective objective, float[] theta)
    {
        var summary = new PackedEvaluator(Rows, Gradients, Rows.Count, sparse: false).Evaluate(objective.Raw(theta), CancellationToken.None);
        return summary.WeightedLoss / summary.TotalWeight;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
