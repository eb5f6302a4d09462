using BenchmarkDotNet.Attributes;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// One plain Adam update over N parameters: the fused kernel, its scalar twin, the same rule as a chain of
/// TensorPrimitives calls, and the memory-pattern ceiling (28 bytes per parameter, trivial arithmetic).
/// Run with <c>dotnet run -c Release --project tests/MLNet.Adam.Benchmarks -- --filter *UpdateBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class UpdateBenchmarks
{
    private readonly FusedAdamUpdateKernel _fused = new();
    private readonly ScalarAdamUpdateKernel _scalar = new();
    private readonly AdamStepScalars _scalars = new(0.9f, 0.999f, 1e-3f, 1e-8f, 0f, 1f, 0f, false);
    private UpdateData _data = null!;

    [Params(10_000, 100_000, 1_000_000, 10_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => _data = UpdateData.Create(N, seed: 1);

    [Benchmark(Baseline = true)]
    public void Fused() => _fused.Step(_data.P, _data.G, _data.M, _data.V, default, _scalars);

    [Benchmark]
    public void Scalar() => _scalar.Step(_data.P, _data.G, _data.M, _data.V, default, _scalars);

    [Benchmark]
    public void TensorPrimitivesChain() =>
        UpdateBaselines.TensorPrimitivesChain(_data.P, _data.G, _data.M, _data.V, _data.Scratch1, _data.Scratch2, _scalars);

    [Benchmark]
    public void Ceiling() => UpdateBaselines.Ceiling(_data.P, _data.G, _data.M, _data.V, prefetch: true);

    /// <summary>The ceiling without software prefetch (faster than <see cref="Ceiling"/> at some sizes).</summary>
    [Benchmark]
    public void CeilingWithoutPrefetch() => UpdateBaselines.Ceiling(_data.P, _data.G, _data.M, _data.V, prefetch: false);
}
