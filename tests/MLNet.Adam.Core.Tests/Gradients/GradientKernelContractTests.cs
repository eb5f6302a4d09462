using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Gradients;

public class GradientKernelContractTests
{
    [Theory]
    [InlineData(1, false, false, typeof(DenseLogisticGradientKernel))]
    [InlineData(1, true, false, typeof(SparseLogisticGradientKernel))]
    [InlineData(10, false, false, typeof(DenseSoftmaxGradientKernel))]
    [InlineData(10, true, false, typeof(SparseSoftmaxGradientKernel))]
    [InlineData(10, true, true, typeof(FeatureMajorSoftmaxGradientKernel))]
    [InlineData(10, false, true, typeof(FeatureMajorSoftmaxGradientKernel))]
    public void CreateGradient_Managed_ReturnsKernelForShapeAndFormat(int classes, bool sparse, bool featureMajor, Type expected)
    {
        // Auto may pick MKL where it was measured faster (tests in Mkl/ cover that rule); Managed never does.
        var shape = classes == 1 ? ModelShape.Binary(8) : ModelShape.Multiclass(8, classes, featureMajor ? WeightLayout.FeatureMajor : WeightLayout.ClassMajor);
        var kernel = KernelFactory.CreateGradient(shape, sparse, KernelBackend.Managed);
        Assert.IsType(expected, kernel);
        Assert.Equal(shape, kernel.Shape);
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void LossAndGradient_LabelOutOfRange_Throws(string name)
    {
        var (shapeOf, sparse, create) = KernelCases.All[name];
        var shape = shapeOf(4);
        var batch = new MiniBatch(4, 2, sparse);
        batch.AddDense([1, 2, 3, 4], 0, 1);
        batch.AddDense([1, 2, 3, 4], shape.IsBinary ? 2 : shape.OutputCount, 1);
        var parameters = new float[shape.ParameterCount];

        Assert.Throws<ArgumentOutOfRangeException>(() => create(shape).LossAndGradient(batch, 0, 2, parameters, new float[shape.ParameterCount]));
        Assert.Throws<ArgumentOutOfRangeException>(() => create(shape).Loss(batch, 0, 2, parameters));
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void LossAndGradient_MismatchedArguments_Throw(string name)
    {
        var (shapeOf, sparse, create) = KernelCases.All[name];
        var shape = shapeOf(4);
        var kernel = create(shape);
        var batch = new MiniBatch(4, 2, sparse);
        batch.AddDense([1, 0, 3, 4], 0, 1);
        var parameters = new float[shape.ParameterCount];
        var gradient = new float[shape.ParameterCount];

        Assert.Throws<ArgumentException>(() => kernel.LossAndGradient(new MiniBatch(5, 1, sparse), 0, 0, parameters, gradient));
        Assert.Throws<ArgumentException>(() => kernel.LossAndGradient(batch, 0, 1, parameters.AsSpan(1), gradient));
        Assert.Throws<ArgumentException>(() => kernel.LossAndGradient(batch, 0, 1, parameters, gradient.AsSpan(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => kernel.LossAndGradient(batch, 1, 1, parameters, gradient));
        if (kernel is not FeatureMajorSoftmaxGradientKernel)
        {
            Assert.Throws<ArgumentException>(() => kernel.LossAndGradient(new MiniBatch(4, 1, !sparse), 0, 0, parameters, gradient));
        }
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void LossAndGradient_EmptyRange_ZeroLossAndGradient(string name)
    {
        var (shapeOf, sparse, create) = KernelCases.All[name];
        var shape = shapeOf(9);
        var batch = new MiniBatch(9, 1, sparse);
        var gradient = Enumerable.Repeat(5f, shape.ParameterCount).ToArray();

        double loss = create(shape).LossAndGradient(batch, 0, 0, new float[shape.ParameterCount], gradient);

        Assert.Equal(0, loss);
        Assert.All(gradient, g => Assert.Equal(0, g));
    }

    [Fact]
    public void Loss_SparseIndexOutsideModel_Throws()
    {
        var shape = ModelShape.Multiclass(4, 3, WeightLayout.FeatureMajor);
        var batch = new MiniBatch(4, 1, isSparse: true);
        batch.AddSparse([1, 4], [1, 1], 0, 1);

        foreach (var kernel in new IGradientKernel[] { new FeatureMajorSoftmaxGradientKernel(shape), new ReferenceGradientKernel(shape) })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Loss(batch, 0, 1, new float[shape.ParameterCount]));
        }
    }

    public static IEnumerable<object[]> KernelNames() => KernelCases.Names();
}
