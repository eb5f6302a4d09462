using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Gradients;

/// <summary>Random batches (the same rows dense and sparse) and parameters for the gradient kernel tests.</summary>
internal sealed class GradientTestData
{
    private GradientTestData(MiniBatch dense, MiniBatch sparse, float[] parameters)
    {
        Dense = dense;
        Sparse = sparse;
        Parameters = parameters;
    }

    public MiniBatch Dense { get; }

    public MiniBatch Sparse { get; }

    public float[] Parameters { get; }

    /// <summary>
    /// Rows with about <paramref name="density"/> non-zeros, each row scaled by a random power of ten within
    /// <paramref name="scaleDecades"/> decades of 1 (default 1e-2..1e2)
    /// (so tolerances must scale with magnitude), labels in range, weights in 0..3 (some exactly 0).
    /// With <paramref name="extreme"/>, a third of the features and weights are +-1e30.
    /// </summary>
    public static GradientTestData Create(ModelShape shape, int rows, int seed, double density = 0.5, bool extreme = false, int scaleDecades = 2)
    {
        var random = new Random(seed);
        int f = shape.FeatureCount;
        var dense = new MiniBatch(f, rows, isSparse: false);
        var sparse = new MiniBatch(f, rows, isSparse: true);
        var row = new float[f];
        int classes = shape.IsBinary ? 2 : shape.OutputCount;
        for (int i = 0; i < rows; i++)
        {
            float scale = MathF.Pow(10, random.Next(-scaleDecades, scaleDecades + 1));
            for (int j = 0; j < f; j++)
            {
                row[j] = random.NextDouble() < density ? Value(random, scale, extreme) : 0;
            }

            int label = random.Next(classes);
            float weight = random.Next(8) == 0 ? 0 : (float)(random.NextDouble() * 3);
            dense.AddDense(row, label, weight);
            sparse.AddDense(row, label, weight);
        }

        var parameters = new float[shape.ParameterCount];
        for (int p = 0; p < parameters.Length; p++)
        {
            parameters[p] = Value(random, 0.3f, extreme);
        }

        return new GradientTestData(dense, sparse, parameters);
    }

    private static float Value(Random random, float scale, bool extreme)
    {
        if (extreme && random.Next(3) == 0)
        {
            return random.Next(2) == 0 ? 1e30f : -1e30f;
        }

        return (float)(((random.NextDouble() * 2) - 1) * scale);
    }
}
