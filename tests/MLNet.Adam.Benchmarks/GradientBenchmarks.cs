using BenchmarkDotNet.Attributes;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// One LossAndGradient call over a batch of 256 rows, single thread, per kernel and shape. Divide by 256 for
/// nanoseconds per example. Run: <c>dotnet run -c Release --project tests/MLNet.Adam.Benchmarks -- --filter *GradientBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class GradientBenchmarks
{
    private const int Rows = 256;

    private IGradientKernel _kernel = null!;
    private MiniBatch _batch = null!;
    private float[] _parameters = null!;
    private float[] _gradient = null!;

    /// <summary>Shape and kernel: dense d=784 with k = 1 (binary), 2, 10, 100; sparse d=10^4 at 1% with k = 1, 10, 100.</summary>
    [Params(
        "dense-784-binary",
        "dense-784-k2",
        "dense-784-k10",
        "dense-784-k100",
        "reference-dense-784-k10",
        "sparse-10000-binary",
        "sparse-10000-k10",
        "sparse-10000-k100-feature-major")]
    public string Case { get; set; } = "dense-784-k10";

    [GlobalSetup]
    public void Setup()
    {
        var (features, classes, sparse, layout) = Case switch
        {
            "dense-784-binary" => (784, 1, false, WeightLayout.ClassMajor),
            "dense-784-k2" => (784, 2, false, WeightLayout.ClassMajor),
            "dense-784-k10" or "reference-dense-784-k10" => (784, 10, false, WeightLayout.ClassMajor),
            "dense-784-k100" => (784, 100, false, WeightLayout.ClassMajor),
            "sparse-10000-binary" => (10_000, 1, true, WeightLayout.ClassMajor),
            "sparse-10000-k10" => (10_000, 10, true, WeightLayout.ClassMajor),
            "sparse-10000-k100-feature-major" => (10_000, 100, true, WeightLayout.FeatureMajor),
            _ => throw new InvalidOperationException($"Unknown case {Case}."),
        };
        var shape = classes == 1 ? ModelShape.Binary(features) : ModelShape.Multiclass(features, classes, layout);
        (_batch, _parameters) = sparse
            ? GradientBenchmarkData.Sparse(shape, Rows, density: 0.01, seed: 1)
            : GradientBenchmarkData.Dense(shape, Rows, seed: 1);
        _kernel = Case.StartsWith("reference", StringComparison.Ordinal)
            ? new ReferenceGradientKernel(shape)
            : KernelFactory.CreateGradient(shape, sparse, KernelBackend.Managed);
        _gradient = new float[shape.ParameterCount];
    }

    [Benchmark]
    public double LossAndGradient() => _kernel.LossAndGradient(_batch, 0, Rows, _parameters, _gradient);

    [Benchmark]
    public double Loss() => _kernel.Loss(_batch, 0, Rows, _parameters).WeightedLoss;
}
