using MLNet.Adam.Tests.Reliability.Fuzz;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Reliability;

/// <summary>
/// Property-based checks of both trainers over randomly drawn schemas, values (NaN, infinities, huge, denormal,
/// sparse and dense), option combinations, injected cursor faults and cancellations. For every case Fit either
/// returns a model with finite weights, or throws ArgumentException / InvalidOperationException /
/// OperationCanceledException / the source's own IOException with a message naming what was wrong; row counts add
/// up; every cursor is disposed by the time Fit returns; nothing reads the data or reports progress afterwards.
/// </summary>
/// <remarks>
/// Views here shuffle themselves, thread counts stay moderate and tokens are cancelled only during Fit; the cases
/// the training engine's rewrite covers are in <see cref="EngineInvariantFuzzTests"/>. Longer run:
/// <c>MLNET_ADAM_FUZZ_CASES=5000 dotnet test tests/MLNet.Adam.Tests --filter FullyQualifiedName~FuzzTests</c>;
/// replay one seed with <c>MLNET_ADAM_FUZZ_SEED=&lt;seed&gt; MLNET_ADAM_FUZZ_CASES=1</c>.
/// </remarks>
public class FitInvariantFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Fit_RandomJobs_KeepEveryInvariant()
    {
        string report = FuzzSettings.Report(FuzzSettings.Seeds(1, 160), FuzzScope.Core, out int cases, out int failing, out string outcomes);
        output.WriteLine($"{cases} cases, {failing} failing.");
        output.WriteLine(outcomes);
        output.WriteLine(report);
        Assert.True(failing == 0, $"{failing} of {cases} cases broke an invariant:\n{report}");
    }
}
