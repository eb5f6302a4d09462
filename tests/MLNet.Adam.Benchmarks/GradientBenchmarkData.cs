using MLNet.Adam.Kernels;

namespace MLNet.Adam.Benchmarks;

/// <summary>Seeded random batches and parameters for the gradient benchmarks.</summary>
internal static class GradientBenchmarkData
{
    public static (MiniBatch Batch, float[] Parameters) Dense(ModelShape shape, int rows, int seed)
    {
        var random = new Random(seed);
        var batch = new MiniBatch(shape.FeatureCount, rows, isSparse: false);
        var row = new float[shape.FeatureCount];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = (float)random.NextDouble();
            }

            batch.AddDense(row, random.Next(Math.Max(2, shape.OutputCount)), 1);
        }

        return (batch, Parameters(shape, random));
    }

    public static (MiniBatch Batch, float[] Parameters) Sparse(ModelShape shape, int rows, double density, int seed)
    {
        var random = new Random(seed);
        var batch = new MiniBatch(shape.FeatureCount, rows, isSparse: true);
        var indices = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < rows; i++)
        {
            indices.Clear();
            values.Clear();
            for (int j = 0; j < shape.FeatureCount; j++)
            {
                if (random.NextDouble() < density)
                {
                    indices.Add(j);
                    values.Add((float)random.NextDouble());
                }
            }

            batch.AddSparse(indices.ToArray(), values.ToArray(), random.Next(Math.Max(2, shape.OutputCount)), 1);
        }

        return (batch, Parameters(shape, random));
    }

    private static float[] Parameters(ModelShape shape, Random random)
    {
        var parameters = new float[shape.ParameterCount];
        for (int p = 0; p < parameters.Length; p++)
        {
            parameters[p] = (float)((random.NextDouble() - 0.5) * 0.1);
        }

        return parameters;
    }
}
