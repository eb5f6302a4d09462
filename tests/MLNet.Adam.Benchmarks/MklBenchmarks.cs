using BenchmarkDotNet.Attributes;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// BenchmarkDotNet twin of <see cref="MklQuick"/>: the managed and the MKL kernel on each scenario
/// (<c>--filter *MklBenchmarks*</c>). Needs MKL: setup fails with install instructions without it.
/// </summary>
public class MklBenchmarks
{
    private MklScenario? _scenario;

    public static IEnumerable<string> Scenarios => MklScenario.Names;

    [ParamsSource(nameof(Scenarios))]
    public string Scenario { get; set; } = MklScenario.Names[0];

    [GlobalSetup]
    public void Setup() => _scenario = MklScenario.Create(Scenario);

    [Benchmark(Baseline = true)]
    public void Managed() => _scenario!.Managed();

    [Benchmark]
    public void Mkl() => _scenario!.Mkl();
}
