using System.Diagnostics;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// Quick single-thread measurements of the managed gradient kernels (batch of 256 rows, one LossAndGradient call per
/// measurement). GFLOP/s count 2 flops per multiply-add of the logits and of the gradient: 4 d k per dense example,
/// 4 nnz k per sparse example.
/// </summary>
internal static class GradientQuick
{
    private const int Rows = 256;

    // Many short repeats: on a shared machine, the best one is likelier to have run without being descheduled.
    private const int Repeats = 150;
    private const double RepeatMilliseconds = 2;

    // The kernels themselves are fully optimized from the first call, but the softmax they share calls
    // TensorPrimitives (Subtract, Exp, Sum, Multiply), which starts as tier-0 code and is recompiled only after its
    // call counts and the runtime's tiering delay: about the first 300 ms, the whole of a cold measurement, ran
    // d=784, k=100 at ~110 GFLOP/s instead of ~170. Training runs for seconds to hours, so the lines report the
    // steady state after this much running of each kernel; the first kernel runs longer, because the recompilation
    // happens on a background thread that a loaded machine delays (one of three runs at load 12 still measured
    // k=100 at 127 GFLOP/s after 400 ms).
    private const double WarmupMilliseconds = 400;
    private const double FirstWarmupMilliseconds = 1500;

    private static bool s_warm;

    public static void Run(QuickReport report)
    {
        double k100 = DenseNanosecondsPerExample(784, 100);
        report.Add("gradient_gflops_d784_k100", 4.0 * 784 * 100 / k100);
        double k10 = DenseNanosecondsPerExample(784, 10);
        report.Add("gradient_ns_per_example_d784_k10", k10);
        report.Add("gradient_ns_per_example_d784_k2", DenseNanosecondsPerExample(784, 2));
        report.Add("gradient_ns_per_example_d784_binary", DenseNanosecondsPerExample(784, 1));

        var (sparse100, nonZeros) = SparseNanosecondsPerExample(10_000, 100, WeightLayout.FeatureMajor);
        report.Add("sparse_gflops_d10000_k100", 4.0 * nonZeros * 100 / sparse100);
        report.Add("sparse_ns_per_example_d10000_k10", SparseNanosecondsPerExample(10_000, 10, WeightLayout.FeatureMajor).Nanoseconds);
        report.Add("sparse_ns_per_example_d10000_k10_class_major", SparseNanosecondsPerExample(10_000, 10, WeightLayout.ClassMajor).Nanoseconds);
        report.Add("sparse_ns_per_example_d10000_binary", SparseNanosecondsPerExample(10_000, 1, WeightLayout.ClassMajor).Nanoseconds);

        var shape = ModelShape.Multiclass(784, 10, WeightLayout.ClassMajor);
        var (batch, parameters) = GradientBenchmarkData.Dense(shape, Rows, seed: 1);
        var reference = new ReferenceGradientKernel(shape);
        var gradient = new float[shape.ParameterCount];
        double referenceNs = QuickReport.MeasureNanoseconds(
            () => reference.LossAndGradient(batch, 0, Rows, parameters, gradient), repeats: 5, targetMilliseconds: 50) / Rows;
        report.Add("gradient_reference_ns_per_example_d784_k10", referenceNs);
        report.Add("gradient_vs_reference_d784_k10", referenceNs / k10);
    }

    private static double DenseNanosecondsPerExample(int features, int classes)
    {
        var shape = classes == 1 ? ModelShape.Binary(features) : ModelShape.Multiclass(features, classes, WeightLayout.ClassMajor);
        var (batch, parameters) = GradientBenchmarkData.Dense(shape, Rows, seed: classes);
        return Measure(KernelFactory.CreateGradient(shape, sparse: false, KernelBackend.Managed), batch, parameters);
    }

    private static (double Nanoseconds, double NonZerosPerRow) SparseNanosecondsPerExample(int features, int classes, WeightLayout layout)
    {
        var shape = classes == 1 ? ModelShape.Binary(features) : ModelShape.Multiclass(features, classes, layout);
        var (batch, parameters) = GradientBenchmarkData.Sparse(shape, Rows, density: 0.01, seed: classes);
        double ns = Measure(KernelFactory.CreateGradient(shape, sparse: true, KernelBackend.Managed), batch, parameters);
        return (ns, (double)batch.Indices.Length / Rows);
    }

    private static double Measure(IGradientKernel kernel, MiniBatch batch, float[] parameters)
    {
        var gradient = new float[kernel.Shape.ParameterCount];
        var warmup = Stopwatch.StartNew();
        double warmupMilliseconds = s_warm ? WarmupMilliseconds : FirstWarmupMilliseconds;
        while (warmup.Elapsed.TotalMilliseconds < warmupMilliseconds)
        {
            kernel.LossAndGradient(batch, 0, batch.Count, parameters, gradient);
        }

        s_warm = true;

        return QuickReport.MeasureNanoseconds(
            () => kernel.LossAndGradient(batch, 0, batch.Count, parameters, gradient), Repeats, RepeatMilliseconds) / batch.Count;
    }
}
