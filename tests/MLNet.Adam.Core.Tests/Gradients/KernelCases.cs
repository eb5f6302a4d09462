using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Gradients;

/// <summary>Every fast gradient kernel configuration under test, by name.</summary>
internal static class KernelCases
{
    public static readonly Dictionary<string, (Func<int, ModelShape> Shape, bool Sparse, Func<ModelShape, IGradientKernel> Create)> All = new()
    {
        ["dense-logistic"] = (ModelShape.Binary, false, s => new DenseLogisticGradientKernel(s)),
        ["dense-logistic-v256"] = (ModelShape.Binary, false, s => new DenseLogisticGradientKernel(s) { UseVector512 = false }),
        ["dense-softmax-k2"] = (f => Multiclass(f, 2), false, s => new DenseSoftmaxGradientKernel(s)),
        ["dense-softmax-k2-v256"] = (f => Multiclass(f, 2), false, s => new DenseSoftmaxGradientKernel(s) { UseVector512 = false }),
        ["dense-softmax-k3"] = (f => Multiclass(f, 3), false, s => new DenseSoftmaxGradientKernel(s)),
        ["dense-softmax-k10"] = (f => Multiclass(f, 10), false, s => new DenseSoftmaxGradientKernel(s)),
        ["dense-softmax-k10-v256"] = (f => Multiclass(f, 10), false, s => new DenseSoftmaxGradientKernel(s) { UseVector512 = false }),
        ["dense-softmax-k13"] = (f => Multiclass(f, 13), false, s => new DenseSoftmaxGradientKernel(s)),
        ["dense-softmax-k29"] = (f => Multiclass(f, 29), false, s => new DenseSoftmaxGradientKernel(s)),
        ["dense-softmax-k29-v256"] = (f => Multiclass(f, 29), false, s => new DenseSoftmaxGradientKernel(s) { UseVector512 = false }),
        ["dense-logistic-chunked"] = (ModelShape.Binary, false, s => new DenseLogisticGradientKernel(s, allowRowWise: false)),
        ["dense-logistic-chunked-v256"] = (ModelShape.Binary, false, s => new DenseLogisticGradientKernel(s, allowRowWise: false) { UseVector512 = false }),
        ["dense-softmax-k2-chunked"] = (f => Multiclass(f, 2), false, s => new DenseSoftmaxGradientKernel(s, allowRowWise: false)),
        ["dense-softmax-k10-chunked"] = (f => Multiclass(f, 10), false, s => new DenseSoftmaxGradientKernel(s, allowRowWise: false)),
        ["dense-softmax-k7-chunked-v256"] = (f => Multiclass(f, 7), false, s => new DenseSoftmaxGradientKernel(s, allowRowWise: false) { UseVector512 = false }),
        ["sparse-logistic"] = (ModelShape.Binary, true, s => new SparseLogisticGradientKernel(s)),
        ["sparse-softmax-k2"] = (f => Multiclass(f, 2), true, s => new SparseSoftmaxGradientKernel(s)),
        ["sparse-softmax-k5"] = (f => Multiclass(f, 5), true, s => new SparseSoftmaxGradientKernel(s)),
        ["feature-major-sparse-k7"] = (f => Multiclass(f, 7, WeightLayout.FeatureMajor), true, s => new FeatureMajorSoftmaxGradientKernel(s)),
        ["feature-major-sparse-k37"] = (f => Multiclass(f, 37, WeightLayout.FeatureMajor), true, s => new FeatureMajorSoftmaxGradientKernel(s)),
        ["feature-major-sparse-k37-rows"] = (f => Multiclass(f, 37, WeightLayout.FeatureMajor), true, s => new FeatureMajorSoftmaxGradientKernel(s) { AllowTranspose = false }),
        ["feature-major-sparse-k100"] = (f => Multiclass(f, 100, WeightLayout.FeatureMajor), true, s => new FeatureMajorSoftmaxGradientKernel(s)),
        ["feature-major-sparse-k150"] = (f => Multiclass(f, 150, WeightLayout.FeatureMajor), true, s => new FeatureMajorSoftmaxGradientKernel(s)),
        ["feature-major-sparse-k16"] = (f => Multiclass(f, 16, WeightLayout.FeatureMajor), true, s => new FeatureMajorSoftmaxGradientKernel(s)),
        ["feature-major-dense-k3"] = (f => Multiclass(f, 3, WeightLayout.FeatureMajor), false, s => new FeatureMajorSoftmaxGradientKernel(s)),
    };

    public static IEnumerable<object[]> Names() => All.Keys.Select(k => new object[] { k });

    private static ModelShape Multiclass(int f, int k, WeightLayout layout = WeightLayout.ClassMajor) =>
        ModelShape.Multiclass(f, k, layout);
}
