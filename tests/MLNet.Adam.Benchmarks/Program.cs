using BenchmarkDotNet.Running;
using MLNet.Adam.Benchmarks;

// `quick`: a measured harness (well under 3 minutes) printing `name: value` lines.
// Anything else goes to BenchmarkDotNet's switcher (for example `--filter *` for the full suite).
if (args.Length > 0 && args[0] == "quick")
{
    var report = new QuickReport();
    UpdateQuick.Run(report);
    GradientQuick.Run(report);
    MklQuick.Run(report);
    TrainingQuick.Run(report);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(QuickReport).Assembly).Run(args);
return 0;
