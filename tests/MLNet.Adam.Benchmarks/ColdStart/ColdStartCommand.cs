using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MLNet.Adam.Benchmarks.Fit;

namespace MLNet.Adam.Benchmarks.ColdStart;

/// <summary>
/// The <c>coldstart</c> verb: for each (data set, trainer, variant), fresh child processes (<c>coldstart-one</c>)
/// each timing a first and a second identical Fit, in interleaved rounds (the order of trainers and variants rotated
/// every round); prints medians of first, second, their per-process ratio, CPU time and JIT counters. A variant is
/// another build of this program (<c>--variant NAME=DIR</c>, DIR holding MLNet.Adam.Benchmarks.dll) and/or
/// environment settings for the child (<c>--variant NAME=DIR;VAR=VALUE;...</c>, DIR may be empty for this build).
/// </summary>
internal static class ColdStartCommand
{
    public const string Usage = """
        coldstart [options]   first vs second Fit in fresh processes, interleaved rounds, medians
          --datasets LIST     comma-separated, default synthetic,adult
          --trainers LIST     comma-separated among adam,lbfgs (default both)
          --rounds N          fresh processes per (dataset, trainer, variant), default 5
          --variant SPEC      NAME=DIR[;VAR=VALUE...]: another build directory and/or child environment (repeatable;
                              default one variant "this" = this build)
          --jit-events        children also report the first fit's JIT time by method group (slower; breakdown only)
          --warm PART         children run a warm-up first: tiny-adam, lbfgs or model (breakdown only; per variant:
                              --variant NAME=;COLDSTART_WARM=PART)
        coldstart-one --dataset NAME --trainer NAME [--variant NAME] [--jit-events] [--top N] [--warm PART] [--json]
        """;

    public static int Run(IReadOnlyList<string> args)
    {
        var datasets = new List<string> { "synthetic", "adult" };
        var trainers = new List<string> { "adam", "lbfgs" };
        var variants = new List<(string Name, string? Directory, List<(string, string)> Environment)>();
        int rounds = 5;
        bool jitEvents = false;
        string? warm = null;
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"Option {args[i]} needs a value.");
            switch (args[i])
            {
                case "--datasets": datasets = [.. Value().Split(',')]; break;
                case "--trainers": trainers = [.. Value().Split(',')]; break;
                case "--rounds": rounds = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--jit-events": jitEvents = true; break;
                case "--warm": warm = Value(); break;
                case "--variant":
                {
                    string spec = Value();
                    int eq = spec.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"--variant {spec}: expected NAME=DIR[;VAR=VALUE...].");
                    }

                    string[] parts = spec[(eq + 1)..].Split(';');
                    var environment = parts.Skip(1).Where(p => p.Length > 0).Select(p => (p[..p.IndexOf('=', StringComparison.Ordinal)], p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..])).ToList();
                    variants.Add((spec[..eq], parts[0].Length > 0 ? parts[0] : null, environment));
                    break;
                }

                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                default: throw new ArgumentException($"Unknown option {args[i]} for coldstart.");
            }
        }

        if (variants.Count == 0)
        {
            variants.Add(("this", null, []));
        }

        Console.WriteLine($"coldstart: {MachineInfo.Describe()}; commit {MachineInfo.Commit()}; load average before: {MachineInfo.LoadAverage()}");
        var runs = new List<ColdStartRun>();
        for (int round = 1; round <= rounds; round++)
        {
            foreach (string dataset in datasets)
            {
                var cells = trainers.SelectMany(t => variants.Select(v => (Trainer: t, Variant: v))).ToList();
                for (int i = 0; i < cells.Count; i++)
                {
                    var (trainer, variant) = cells[(i + round - 1) % cells.Count];
                    var run = RunChild(dataset, trainer, variant, jitEvents, warm);
                    run.Round = round;
                    runs.Add(run);
                    Console.WriteLine(run.Error is null
                        ? FormattableString.Invariant($"round {round}: {dataset} / {trainer} [{variant.Name}]: first {run.First.Seconds:F3} s (cpu {run.First.CpuSeconds:F3}, jit {run.First.JitSeconds:F3} s, {run.First.JitMethods} methods), second {run.Second.Seconds:F3} s (cpu {run.Second.CpuSeconds:F3}), ratio {run.First.Seconds / run.Second.Seconds:F2}; load {MachineInfo.LoadAverage()}")
                        : $"round {round}: {dataset} / {trainer} [{variant.Name}]: FAILED: {run.Error}");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average after: {MachineInfo.LoadAverage()}; medians over {rounds} fresh processes:");
        Console.WriteLine("| data | trainer | variant | first s | second s | first/second (median of per-process ratios) | first cpu s | second cpu s | cpu ratio | JIT in first: methods / IL KB / s | JIT in second: methods / s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.Where(r => r.Error is null).GroupBy(r => (r.Dataset, r.Trainer, r.Variant)))
        {
            var g = group.ToList();
            Console.WriteLine(FormattableString.Invariant(
                $"| {group.Key.Dataset} | {group.Key.Trainer} | {group.Key.Variant} | {Median(g, r => r.First.Seconds):F3} | {Median(g, r => r.Second.Seconds):F3} | {Median(g, r => r.First.Seconds / r.Second.Seconds):F2} | {Median(g, r => r.First.CpuSeconds):F3} | {Median(g, r => r.Second.CpuSeconds):F3} | {Median(g, r => r.First.CpuSeconds / r.Second.CpuSeconds):F2} | {Median(g, r => r.First.JitMethods):F0} / {Median(g, r => r.First.JitIlBytes) / 1024:F0} / {Median(g, r => r.First.JitSeconds):F3} | {Median(g, r => r.Second.JitMethods):F0} / {Median(g, r => r.Second.JitSeconds):F3} |"));
        }

        if (jitEvents)
        {
            foreach (var group in runs.Where(r => r.Error is null && r.Breakdown is not null).GroupBy(r => (r.Dataset, r.Trainer, r.Variant)))
            {
                Console.WriteLine();
                Console.WriteLine($"First-fit JIT time by group, {group.Key.Dataset} / {group.Key.Trainer} [{group.Key.Variant}] (median ms over processes, methods):");
                var names = group.SelectMany(r => r.Breakdown!).Select(b => b.Group).Distinct();
                var rows = names.Select(n => (Name: n, Ms: Median(group.ToList(), r => r.Breakdown!.FirstOrDefault(b => b.Group == n)?.Milliseconds ?? 0),
                    Methods: Median(group.ToList(), r => r.Breakdown!.FirstOrDefault(b => b.Group == n)?.Methods ?? 0)));
                foreach (var row in rows.OrderBy(r => r.Name.StartsWith("tier", StringComparison.Ordinal) || r.Name == "total").ThenByDescending(r => r.Ms))
                {
                    Console.WriteLine(FormattableString.Invariant($"  {row.Ms,8:F1} ms {row.Methods,6:F0}  {row.Name}"));
                }
            }
        }

        return runs.Any(r => r.Error is not null) ? 1 : 0;
    }

    private static double Median(List<ColdStartRun> runs, Func<ColdStartRun, double> value)
    {
        var sorted = runs.Select(value).OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static ColdStartRun RunChild(string dataset, string trainer, (string Name, string? Directory, List<(string, string)> Environment) variant, bool jitEvents, string? warm)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot locate this program.");
        string dll = variant.Directory is { } dir ? Path.Combine(dir, "MLNet.Adam.Benchmarks.dll") : typeof(ColdStartCommand).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string a in new[] { "coldstart-one", "--dataset", dataset, "--trainer", trainer, "--variant", variant.Name, "--json" })
        {
            start.ArgumentList.Add(a);
        }

        if (jitEvents)
        {
            start.ArgumentList.Add("--jit-events");
        }

        if (warm is not null)
        {
            start.ArgumentList.Add("--warm");
            start.ArgumentList.Add(warm);
        }

        foreach (var (name, value) in variant.Environment)
        {
            start.Environment[name] = value;
        }

        _ = self;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a child.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        string? json = stdout.Result.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || json is null)
        {
            var error = new StringBuilder($"exit code {process.ExitCode}: ").Append(string.Join(" | ", stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(3)));
            return new ColdStartRun { Dataset = dataset, Trainer = trainer, Variant = variant.Name, Error = error.ToString() };
        }

        return JsonSerializer.Deserialize<ColdStartRun>(json, FitOne.Json)!;
    }
}
