using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// Quick MKL-versus-managed ratios (managed time / MKL time: above 1 means MKL is faster), single thread, best of
/// 9 alternating rounds. Prints a note and no numbers when MKL cannot be loaded.
/// </summary>
internal static class MklQuick
{
    // Alternating rounds expose both kernels to the same load on a shared machine; best-of keeps the quiet moments.
    private const int Rounds = 9;

    public static void Run(QuickReport report)
    {
        if (!MklBackend.TryLoad(out var reason))
        {
            report.Note($"MKL not available ({reason}); no MKL numbers. Install: sudo bash scripts/install-mkl.sh");
            return;
        }

        report.Note($"MKL: {MklBackend.Describe()}, CPU vendor {MklBackend.CpuVendor}, batches of {MklScenario.BatchRows} rows");
        foreach (var name in MklScenario.Names)
        {
            var scenario = MklScenario.Create(name);
            double managed = double.MaxValue;
            double mkl = double.MaxValue;
            for (int round = 0; round < Rounds; round++)
            {
                managed = Math.Min(managed, QuickReport.MeasureNanoseconds(scenario.Managed, repeats: 1, targetMilliseconds: 50));
                mkl = Math.Min(mkl, QuickReport.MeasureNanoseconds(scenario.Mkl, repeats: 1, targetMilliseconds: 50));
            }

            report.Note(FormattableString.Invariant(
                $"{name}: managed {managed / scenario.UnitsPerCall:G4} ns/{scenario.Unit}, MKL {mkl / scenario.UnitsPerCall:G4} ns/{scenario.Unit}"));
            report.Add($"mkl_{Prefix(name)}_vs_managed_{Suffix(name)}", managed / mkl);
        }
    }

    private static string Prefix(string name) => name[..name.IndexOf('_', StringComparison.Ordinal)];

    private static string Suffix(string name) => name[(name.IndexOf('_', StringComparison.Ordinal) + 1)..];
}
