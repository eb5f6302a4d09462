using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Mkl;

/// <summary>Seeded mini-batches and parameters for the gradient kernel tests.</summary>
internal static class GradientCases
{
    /// <summary>Shapes: (features, outputs, feature-major weights); outputs 1 is the binary model.</summary>
    public static TheoryData<int, int, bool> Shapes => new()
    {
        { 1, 1, false },
        { 7, 1, false },
        { 33, 1, false },
        { 5, 2, false },
        { 5, 2, true },
        { 64, 3, false },
        { 64, 3, true },
        { 100, 10, false },
        { 100, 10, true },
        { 17, 100, false },
        { 17, 100, true },
    };

    public static ModelShape Shape(int features, int outputs, bool featureMajor) =>
        outputs == 1 ? ModelShape.Binary(features) : ModelShape.Multiclass(features, outputs, featureMajor ? WeightLayout.FeatureMajor : WeightLayout.ClassMajor);

    /// <summary>
    /// A batch of <paramref name="rows"/> rows with about <paramref name="density"/> non-zero features, some empty rows,
    /// a few large-magnitude values (so that logits leave the range where naive exp would be exact), zero and
    /// non-unit weights.
    /// </summary>
    public static MiniBatch Batch(ModelShape shape, int rows, bool sparse, double density, int seed)
    {
        var random = new Random(seed);
        var batch = new MiniBatch(shape.FeatureCount, Math.Max(rows, 1), sparse);
        var row = new float[shape.FeatureCount];
        for (int i = 0; i < rows; i++)
        {
            Array.Clear(row);
            if (i % 7 != 3)
            {
                for (int j = 0; j < row.Length; j++)
                {
                    if (random.NextDouble() < density)
                    {
                        row[j] = (float)((random.NextDouble() * 2) - 1) * (random.Next(20) == 0 ? 30f : 1f);
                    }
                }
            }

            int label = random.Next(shape.IsBinary ? 2 : shape.OutputCount);
            float weight = i % 5 == 4 ? 0f : (float)(0.25 + (random.NextDouble() * 2));
            batch.AddDense(row, label, weight);
        }

        return batch;
    }

    public static float[] Parameters(ModelShape shape, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, shape.ParameterCount).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
