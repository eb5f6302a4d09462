using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Gradients;

public class GradientMathTests
{
    public static IEnumerable<object[]> Shapes() =>
    [
        [1, false], [1, true], [3, false], [3, true], [2, false],
    ];

    // J(theta) = loss / total weight + (l2 / 2) |weights|^2, the mean objective a trainer minimizes; biases carry no L2.
    [Theory]
    [MemberData(nameof(Shapes))]
    public void LossAndGradient_WeightedWithL2_MatchesFiniteDifferences(int classes, bool sparse)
    {
        const double l2 = 0.3;
        var shape = classes == 1 ? ModelShape.Binary(6) : ModelShape.Multiclass(6, classes, WeightLayout.ClassMajor);
        // Unit-scale rows: with x ~ 100 the loss's third derivative makes central differences inaccurate at h = 1e-3.
        var data = GradientTestData.Create(shape, 9, seed: 11 + classes, density: 0.8, scaleDecades: 0);
        var batch = sparse ? data.Sparse : data.Dense;
        double totalWeight = batch.TotalWeight();
        var reference = new ReferenceGradientKernel(shape);
        double Objective(float[] theta)
        {
            double loss = reference.Loss(batch, 0, batch.Count, theta).WeightedLoss / totalWeight;
            for (int p = 0; p < shape.WeightCount; p++)
            {
                loss += 0.5 * l2 * theta[p] * theta[p];
            }

            return loss;
        }

        foreach (var kernel in new[] { reference, KernelFactory.CreateGradient(shape, sparse, KernelBackend.Managed) })
        {
            var gradient = new float[shape.ParameterCount];
            kernel.LossAndGradient(batch, 0, batch.Count, data.Parameters, gradient);
            for (int p = 0; p < shape.ParameterCount; p++)
            {
                double analytic = (gradient[p] / totalWeight) + (p < shape.WeightCount ? l2 * data.Parameters[p] : 0);
                var plus = (float[])data.Parameters.Clone();
                var minus = (float[])data.Parameters.Clone();
                plus[p] += 1e-3f;
                minus[p] -= 1e-3f;
                double numeric = (Objective(plus) - Objective(minus)) / ((double)plus[p] - minus[p]);
                Assert.True(
                    Math.Abs(analytic - numeric) <= 1e-4 * (1 + Math.Abs(numeric)),
                    $"{kernel.Name} parameter {p}: analytic {analytic} vs finite difference {numeric}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LossAndGradient_TwoClassSoftmax_EqualsLogistic(bool sparse)
    {
        const int f = 21;
        var binary = ModelShape.Binary(f);
        var softmax = ModelShape.Multiclass(f, 2, WeightLayout.ClassMajor);
        // Unit-scale rows: the softmax logits are computed separately and their difference loses the bits they share.
        var data = GradientTestData.Create(binary, 19, seed: 3, scaleDecades: 0);
        var batch = sparse ? data.Sparse : data.Dense;
        var random = new Random(4);
        var softmaxParameters = new float[softmax.ParameterCount];
        for (int j = 0; j < f; j++)
        {
            // Any W_0 works: only W_1 - W_0 = w matters. Small integers keep the subtraction exact.
            float w0 = random.Next(-3, 4) * 0.25f;
            softmaxParameters[softmax.WeightIndex(0, j)] = w0;
            softmaxParameters[softmax.WeightIndex(1, j)] = w0 + data.Parameters[j];
        }

        softmaxParameters[softmax.BiasIndex(0)] = 2;
        softmaxParameters[softmax.BiasIndex(1)] = 2 + data.Parameters[f];

        var logisticGradient = new float[binary.ParameterCount];
        var softmaxGradient = new float[softmax.ParameterCount];
        double logisticLoss = KernelFactory.CreateGradient(binary, sparse, KernelBackend.Managed)
            .LossAndGradient(batch, 0, batch.Count, data.Parameters, logisticGradient);
        var softmaxKernel = KernelFactory.CreateGradient(softmax, sparse, KernelBackend.Managed);
        double softmaxLoss = softmaxKernel.LossAndGradient(batch, 0, batch.Count, softmaxParameters, softmaxGradient);

        Assert.Equal(logisticLoss, softmaxLoss, 1e-4 * (1 + Math.Abs(logisticLoss)));
        for (int j = 0; j < f; j++)
        {
            float g = logisticGradient[j];
            float tolerance = 1e-4f * (1 + Math.Abs(g));
            Assert.Equal(g, softmaxGradient[softmax.WeightIndex(1, j)], tolerance);
            Assert.Equal(-g, softmaxGradient[softmax.WeightIndex(0, j)], tolerance);
        }

        Assert.Equal(logisticGradient[f], softmaxGradient[softmax.BiasIndex(1)], 1e-4f);
        Assert.Equal(
            KernelFactory.CreateGradient(binary, sparse, KernelBackend.Managed).Loss(batch, 0, batch.Count, data.Parameters).CorrectWeight,
            softmaxKernel.Loss(batch, 0, batch.Count, softmaxParameters).CorrectWeight,
            1e-9);
    }

    // Every x_j = 1e30 and weights alternate +-1e30: the float products overflow to +-Inf and their sum is NaN, while
    // the true logit is exactly 0, so the loss is weight * ln(K) (K = 2 for binary).
    [Theory]
    [MemberData(nameof(FastFastKernelNames))]
    public void LossAndGradient_OverflowingDotProducts_RecomputedExactly(string name)
    {
        var (shapeOf, sparse, create) = KernelCases.All[name];
        var shape = shapeOf(34);
        var batch = new MiniBatch(34, 5, sparse);
        var row = Enumerable.Repeat(1e30f, 34).ToArray();
        for (int i = 0; i < 5; i++)
        {
            batch.AddDense(row, label: i % 2, weight: i + 1);
        }

        var parameters = new float[shape.ParameterCount];
        for (int o = 0; o < shape.OutputCount; o++)
        {
            for (int j = 0; j < 34; j++)
            {
                parameters[shape.WeightIndex(o, j)] = j % 2 == 0 ? 1e30f : -1e30f;
            }
        }

        var gradient = new float[shape.ParameterCount];
        double loss = create(shape).LossAndGradient(batch, 0, 5, parameters, gradient);

        Assert.Equal(15 * Math.Log(shape.IsBinary ? 2 : shape.OutputCount), loss, 1e-5);
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
        GradientComparer.AssertClose(create(shape), new ReferenceGradientKernel(shape), batch, batch, parameters, 0, 5, name);
    }

    public static IEnumerable<object[]> FastFastKernelNames() => KernelCases.Names();
}
