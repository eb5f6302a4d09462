using MLNet.Adam.Kernels;
using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Core.Tests.Mkl;

[Trait("Category", "Mkl")]
public sealed class MklGradientKernelTests
{
    [MklTheory]
    [MemberData(nameof(GradientCases.Shapes), MemberType = typeof(GradientCases))]
    public void LossAndGradient_DenseBatches_MatchesDoubleReference(int features, int outputs, bool featureMajor) =>
        CheckAllRanges(GradientCases.Shape(features, outputs, featureMajor), sparse: false);

    [MklTheory]
    [MemberData(nameof(GradientCases.Shapes), MemberType = typeof(GradientCases))]
    public void LossAndGradient_SparseBatches_MatchesDoubleReference(int features, int outputs, bool featureMajor) =>
        CheckAllRanges(GradientCases.Shape(features, outputs, featureMajor), sparse: true);

    [MklTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void LossAndGradient_AllRowsEmpty_GivesBiasOnlyGradient(bool sparse)
    {
        var shape = ModelShape.Multiclass(12, 4, WeightLayout.ClassMajor);
        var batch = new MiniBatch(12, 8, sparse);
        for (int i = 0; i < 6; i++)
        {
            batch.AddSparse([], [], label: i % 4, weight: 1.5f);
        }

        Check(shape, batch, 1, 4, GradientCases.Parameters(shape, 3));
    }

    [MklTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void LossAndGradient_StaleGradientBuffer_IsOverwritten(bool sparse)
    {
        var shape = ModelShape.Multiclass(9, 3, WeightLayout.FeatureMajor);
        var batch = GradientCases.Batch(shape, 10, sparse, 0.4, seed: 8);
        var parameters = GradientCases.Parameters(shape, 8);
        var kernel = Create(shape, sparse);
        var fresh = new float[shape.ParameterCount];
        var stale = Enumerable.Repeat(float.NaN, shape.ParameterCount).ToArray();

        kernel.LossAndGradient(batch, 0, 10, parameters, fresh);
        kernel.LossAndGradient(batch, 0, 10, parameters, stale);

        Assert.Equal(fresh, stale);
    }

    [MklTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void LossAndGradient_ExtremeLogits_StaysFinite(bool sparse)
    {
        var shape = ModelShape.Multiclass(2, 3, WeightLayout.ClassMajor);
        var batch = new MiniBatch(2, 4, sparse);
        batch.AddDense([1000f, -1000f], 0, 1f);
        batch.AddDense([-1000f, 1000f], 2, 1f);
        var parameters = new float[] { 1, 0, 0, 1, 1, 1, 0, 0, 0 };
        var gradient = new float[shape.ParameterCount];

        double loss = Create(shape, sparse).LossAndGradient(batch, 0, 2, parameters, gradient);

        Assert.True(double.IsFinite(loss), $"loss {loss}");
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(1000.0, loss, 3); // row 1 is confidently right (loss ~0), row 2 scores its label 1000 below the best
    }

    [MklFact]
    public void LossAndGradient_WrongStorage_Throws()
    {
        var shape = ModelShape.Binary(4);
        var kernel = Create(shape, sparse: true);
        var dense = GradientCases.Batch(shape, 3, sparse: false, 1, seed: 1);

        Assert.Throws<ArgumentException>(() => kernel.LossAndGradient(dense, 0, 3, new float[5], new float[5]));
    }

    [MklFact]
    public void LossAndGradient_RangeOutsideBatch_Throws()
    {
        var shape = ModelShape.Binary(4);
        var kernel = Create(shape, sparse: false);
        var dense = GradientCases.Batch(shape, 3, sparse: false, 1, seed: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => kernel.LossAndGradient(dense, 2, 2, new float[5], new float[5]));
    }

    [MklTheory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 3)]
    public void LossAndGradient_LabelOutsideClasses_Throws(bool sparse, int outputs)
    {
        var shape = GradientCases.Shape(4, outputs, featureMajor: false);
        var batch = new MiniBatch(4, 2, sparse);
        batch.AddDense([1f, 0f, 2f, 0f], label: outputs == 1 ? 2 : outputs, weight: 1f);
        var kernel = Create(shape, sparse);

        Assert.Throws<ArgumentOutOfRangeException>(() => kernel.LossAndGradient(batch, 0, 1, new float[shape.ParameterCount], new float[shape.ParameterCount]));
        Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Loss(batch, 0, 1, new float[shape.ParameterCount]));
    }

    private static IGradientKernel Create(ModelShape shape, bool sparse) =>
        MklBackend.TryCreateGradient(shape, sparse, KernelBackend.Mkl)!;

    private static void CheckAllRanges(ModelShape shape, bool sparse)
    {
        foreach (var (rows, start, count) in new[] { (1, 0, 0), (1, 0, 1), (6, 2, 3), (37, 0, 37), (130, 5, 120) })
        {
            var batch = GradientCases.Batch(shape, rows, sparse, density: sparse ? 0.15 : 0.9, seed: rows + shape.OutputCount);
            Check(shape, batch, start, count, GradientCases.Parameters(shape, rows));
        }
    }

    private static void Check(ModelShape shape, MiniBatch batch, int start, int count, float[] parameters)
    {
        var kernel = Create(shape, batch.IsSparse);
        var expected = DoubleReference.LossAndGradient(shape, batch, start, count, parameters);
        var gradient = new float[shape.ParameterCount];

        double loss = kernel.LossAndGradient(batch, start, count, parameters, gradient);
        var summary = kernel.Loss(batch, start, count, parameters);

        string where = $"{shape}, sparse {batch.IsSparse}, rows {start}+{count}";
        foreach (var twin in new IGradientKernel[] { new ReferenceGradientKernel(shape), KernelFactory.CreateGradient(shape, batch.IsSparse, KernelBackend.Managed) })
        {
            var twinGradient = new float[shape.ParameterCount];
            double twinLoss = twin.LossAndGradient(batch, start, count, parameters, twinGradient);
            double twinScale = 1 + twinGradient.Max(Math.Abs);
            Assert.True(Math.Abs(loss - twinLoss) <= 1e-5 * (1 + Math.Abs(twinLoss)), $"{where}: loss {loss} vs {twin.Name} {twinLoss}");
            Assert.Equal(twin.Loss(batch, start, count, parameters).CorrectWeight, summary.CorrectWeight, 4);
            for (int i = 0; i < gradient.Length; i++)
            {
                Assert.True(Math.Abs(gradient[i] - twinGradient[i]) <= 2e-5 * twinScale, $"{where}: gradient[{i}] {gradient[i]} vs {twin.Name} {twinGradient[i]}");
            }
        }

        double lossTolerance = 1e-5 * (1 + Math.Abs(expected.Loss));
        Assert.True(Math.Abs(loss - expected.Loss) <= lossTolerance, $"{where}: loss {loss} vs {expected.Loss}");
        Assert.True(Math.Abs(summary.WeightedLoss - expected.Loss) <= lossTolerance, $"{where}: Loss() {summary.WeightedLoss} vs {expected.Loss}");
        Assert.Equal(expected.Summary.TotalWeight, summary.TotalWeight, 4);
        Assert.Equal(expected.Summary.CorrectWeight, summary.CorrectWeight, 4);

        double scale = 1 + expected.Gradient.Max(Math.Abs);
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(gradient[i] - expected.Gradient[i]) <= 2e-5 * scale, $"{where}: gradient[{i}] {gradient[i]} vs {expected.Gradient[i]}");
        }
    }
}
