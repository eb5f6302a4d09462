using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Gradients;

public class FastKernelTests
{
    // Batch sizes that are not multiples of the 4-row blocks, cycled over the feature counts.
    private static readonly int[] BatchSizes = [3, 5, 6, 13, 37];

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void LossAndGradient_EveryFeatureCount_MatchesReference(string name)
    {
        var (shapeOf, sparse, create) = KernelCases.All[name];
        for (int f = 1; f <= 257; f++)
        {
            var shape = shapeOf(f);
            var fast = create(shape);
            var reference = new ReferenceGradientKernel(shape);
            foreach (int rows in new[] { 1, BatchSizes[f % BatchSizes.Length] })
            {
                var data = GradientTestData.Create(shape, rows, seed: (f * 31) + rows);
                var batch = sparse ? data.Sparse : data.Dense;
                GradientComparer.AssertClose(fast, reference, batch, batch, data.Parameters, 0, rows, $"{name} F={f} rows={rows}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void LossAndGradient_ManyChunksAndOffsetRange_MatchesReference(string name)
    {
        var (shapeOf, sparse, create) = KernelCases.All[name];
        foreach (int f in new[] { 16, 100, 3001 })
        {
            var shape = shapeOf(f);
            var data = GradientTestData.Create(shape, 301, seed: f, density: 0.3);
            var batch = sparse ? data.Sparse : data.Dense;
            GradientComparer.AssertClose(create(shape), new ReferenceGradientKernel(shape), batch, batch, data.Parameters, 3, 297, $"{name} F={f}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void LossAndGradient_Scaled_IsTheGradientTimesTheScale_WithTheSameLoss(string name)
    {
        var (shapeOf, sparse, create) = KernelCases.All[name];
        foreach (int f in new[] { 7, 300 })
        {
            var shape = shapeOf(f);
            var data = GradientTestData.Create(shape, 301, seed: f + 5, density: 0.3);
            var batch = sparse ? data.Sparse : data.Dense;
            IGradientKernel kernel = create(shape);
            var plain = new float[shape.ParameterCount];
            var scaled = Enumerable.Repeat(9f, shape.ParameterCount).ToArray();
            const float scale = 1f / 301;
            double loss = kernel.LossAndGradient(batch, 0, 301, data.Parameters, plain);
            double scaledLoss = kernel.LossAndGradient(batch, 0, 301, data.Parameters, scaled, scale);

            Assert.Equal(loss, scaledLoss);
            for (int p = 0; p < plain.Length; p++)
            {
                float expected = plain[p] * scale;
                Assert.True(Math.Abs(scaled[p] - expected) <= 1e-5f * (1 + Math.Abs(expected)), $"{name} F={f} parameter {p}: {scaled[p]} vs {expected}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void LossAndGradient_ExtremeValues_FiniteAndMatchesReference(string name)
    {
        var (shapeOf, sparse, create) = KernelCases.All[name];
        foreach (int f in new[] { 1, 7, 33, 130 })
        {
            var shape = shapeOf(f);
            var data = GradientTestData.Create(shape, 23, seed: 7 * f, density: 0.7, extreme: true);
            var batch = sparse ? data.Sparse : data.Dense;
            var fast = create(shape);
            var gradient = new float[shape.ParameterCount];
            double loss = fast.LossAndGradient(batch, 0, batch.Count, data.Parameters, gradient);
            Assert.True(double.IsFinite(loss), $"{name} F={f}: loss {loss}");
            Assert.All(gradient, g => Assert.True(float.IsFinite(g), $"{name} F={f}: gradient entry {g}"));
            Assert.True(double.IsFinite(fast.Loss(batch, 0, batch.Count, data.Parameters).WeightedLoss));
            GradientComparer.AssertClose(fast, new ReferenceGradientKernel(shape), batch, batch, data.Parameters, 0, batch.Count, $"{name} F={f}");
        }
    }

    [Fact]
    public void LossAndGradient_SparseBatch_EqualsDenseBatch()
    {
        foreach (int k in new[] { 1, 2, 6 })
        {
            for (int f = 1; f <= 80; f += 13)
            {
                var shape = k == 1 ? ModelShape.Binary(f) : ModelShape.Multiclass(f, k, WeightLayout.ClassMajor);
                var data = GradientTestData.Create(shape, 29, seed: f + k, density: 0.2);
                var sparseKernel = KernelFactory.CreateGradient(shape, sparse: true, KernelBackend.Managed);
                var denseKernel = KernelFactory.CreateGradient(shape, sparse: false, KernelBackend.Managed);
                GradientComparer.AssertClose(sparseKernel, denseKernel, data.Sparse, data.Dense, data.Parameters, 0, 29, $"k={k} F={f}");
            }
        }
    }

    [Fact]
    public void LossAndGradient_FeatureMajorLayout_EqualsClassMajorLayout()
    {
        int f = 45, k = 9;
        var classMajor = ModelShape.Multiclass(f, k, WeightLayout.ClassMajor);
        var featureMajor = ModelShape.Multiclass(f, k, WeightLayout.FeatureMajor);
        var data = GradientTestData.Create(classMajor, 31, seed: 5);
        var transposed = new float[featureMajor.ParameterCount];
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < f; j++)
            {
                transposed[featureMajor.WeightIndex(c, j)] = data.Parameters[classMajor.WeightIndex(c, j)];
            }

            transposed[featureMajor.BiasIndex(c)] = data.Parameters[classMajor.BiasIndex(c)];
        }

        var expected = new float[classMajor.ParameterCount];
        var actual = new float[featureMajor.ParameterCount];
        double expectedLoss = new DenseSoftmaxGradientKernel(classMajor).LossAndGradient(data.Dense, 0, 31, data.Parameters, expected);
        double actualLoss = new FeatureMajorSoftmaxGradientKernel(featureMajor).LossAndGradient(data.Sparse, 0, 31, transposed, actual);

        Assert.Equal(expectedLoss, actualLoss, 1e-4 * Math.Abs(expectedLoss));
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < f; j++)
            {
                float e = expected[classMajor.WeightIndex(c, j)];
                Assert.Equal(e, actual[featureMajor.WeightIndex(c, j)], 1e-4f * (1 + Math.Abs(e)));
            }
        }
    }

    public static IEnumerable<object[]> KernelNames() => KernelCases.Names();
}
