using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using MLNet.Adam.Benchmarks.Fit;

namespace MLNet.Adam.Benchmarks.ColdStart;

/// <summary>What one fit measured: wall and CPU time and the JIT's counters (all threads) across it.</summary>
internal sealed class FitSample
{
    public double Seconds { get; set; }

    public double CpuSeconds { get; set; }

    public long JitMethods { get; set; }

    public long JitIlBytes { get; set; }

    public double JitSeconds { get; set; }
}

/// <summary>One child's measurements: the first and the second identical Fit in the same process.</summary>
internal sealed class ColdStartRun
{
    public string Dataset { get; set; } = string.Empty;

    public string Trainer { get; set; } = string.Empty;

    public string Variant { get; set; } = string.Empty;

    public int Round { get; set; }

    public FitSample First { get; set; } = new();

    public FitSample Second { get; set; } = new();

    public double PrepareSeconds { get; set; }

    public string? Error { get; set; }

    /// <summary>Ours only: seconds of each phase of the fit, from the trainer's log messages (see <see cref="PhaseClock"/>).</summary>
    public Dictionary<string, double> FirstPhases { get; set; } = [];

    /// <summary>The same for the second fit.</summary>
    public Dictionary<string, double> SecondPhases { get; set; } = [];

    /// <summary>With --jit-events: the first fit's JIT time by group (milliseconds, methods), largest first.</summary>
    public List<JitGroup>? Breakdown { get; set; }
}

/// <summary>JIT time of one group of methods in the breakdown.</summary>
internal sealed record JitGroup(string Group, double Milliseconds, int Methods, long IlBytes);

/// <summary>
/// <c>coldstart-one</c>: in this fresh process, load, featurize and cache the data exactly as <c>fit-one</c> does,
/// then time a first <c>Fit</c> and a second identical one (same estimator, same cached data), with the JIT counters
/// of <see cref="System.Runtime.JitInfo"/> (all threads) around each. <c>--jit-events</c> adds the first fit's JIT
/// time by method group from the runtime's JIT events (which cost time of their own; the timing runs go without).
/// <c>--warm PART</c> runs a warm-up before the first timed fit (see <see cref="ColdStartWarmUp"/>).
/// </summary>
internal static class ColdStartOne
{
    public static int Run(string dataset, string trainer, string variant, bool jitEvents, bool json, int topMethods, string? warm)
    {
        warm ??= Environment.GetEnvironmentVariable("COLDSTART_WARM") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        // COLDSTART_SWITCHES=name,name: AppContext switches set to true before anything else (for comparisons of variants).
        foreach (string name in (Environment.GetEnvironmentVariable("COLDSTART_SWITCHES") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            AppContext.SetSwitch(name, true);
        }

        using var recorder = jitEvents ? new JitEventRecorder() : null;
        var prepare = Stopwatch.StartNew();
        var ml = new MLContext(FitDatasets.Seed);
        var data = FitDatasets.Load(ml, dataset, FitArguments.DefaultCacheDirectory);
        var train = ml.Data.Cache(data.Train);
        using (var cursor = train.GetRowCursor(train.Schema))
        {
            while (cursor.MoveNext())
            {
            }
        }

        var fitter = FitTrainers.Create(ml, trainer, data.IsMulticlass, []);
        var phases = new PhaseClock();
        if (trainer == "adam")
        {
            ml.Log += (_, e) => phases.Mark(e.Message);
        }

        if (warm is not null)
        {
            ColdStartWarmUp.Run(warm, ml, train, data.IsMulticlass);
        }

        prepare.Stop();

        var run = new ColdStartRun { Dataset = dataset, Trainer = trainer, Variant = variant, PrepareSeconds = prepare.Elapsed.TotalSeconds };
        if (recorder is not null)
        {
            recorder.Recording = true;
        }

        run.First = Measure(() => phases.Run(() => fitter.Fit(train)));
        run.FirstPhases = phases.Take();
        if (recorder is not null)
        {
            recorder.Recording = false;
            Thread.Sleep(200);
            run.Breakdown = Group(recorder.Records.ToList());
            if (!json)
            {
                PrintMethods(recorder.Records.ToList(), topMethods);
            }
        }

        run.Second = Measure(() => phases.Run(() => fitter.Fit(train)));
        run.SecondPhases = phases.Take();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(run, FitOne.Json));
        }
        else
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{dataset} / {fitter.Name} [{variant}]: first {run.First.Seconds:F3} s (cpu {run.First.CpuSeconds:F3}, jit {run.First.JitMethods} methods, {run.First.JitIlBytes} IL bytes, {run.First.JitSeconds:F3} s), second {run.Second.Seconds:F3} s (cpu {run.Second.CpuSeconds:F3}, jit {run.Second.JitMethods} methods, {run.Second.JitSeconds:F3} s), ratio {run.First.Seconds / run.Second.Seconds:F2}"));
            foreach (var (name, first) in run.FirstPhases)
            {
                Console.WriteLine(FormattableString.Invariant($"  phase {name,-14} first {first * 1000,7:F1} ms  second {run.SecondPhases.GetValueOrDefault(name) * 1000,7:F1} ms"));
            }

            foreach (var group in run.Breakdown ?? [])
            {
                Console.WriteLine(FormattableString.Invariant($"  {group.Milliseconds,8:F1} ms {group.Methods,5} methods {group.IlBytes,7} IL  {group.Group}"));
            }
        }

        return 0;
    }

    private static FitSample Measure(Action fit)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        long methods = JitInfo.GetCompiledMethodCount(), il = JitInfo.GetCompiledILBytes();
        var jit = JitInfo.GetCompilationTime();
        var clock = Stopwatch.StartNew();
        fit();
        clock.Stop();
        process.Refresh();
        return new FitSample
        {
            Seconds = clock.Elapsed.TotalSeconds,
            CpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds,
            JitMethods = JitInfo.GetCompiledMethodCount() - methods,
            JitIlBytes = JitInfo.GetCompiledILBytes() - il,
            JitSeconds = (JitInfo.GetCompilationTime() - jit).TotalSeconds,
        };
    }

    /// <summary>Groups by namespace (generic arguments cut off), tagged when instantiated over a SIMD vector, a lambda or closure, and by tier.</summary>
    private static List<JitGroup> Group(List<JitRecord> records) =>
        records.GroupBy(r => GroupOf(r))
            .Select(g => new JitGroup(g.Key, g.Sum(r => r.Milliseconds), g.Count(), g.Sum(r => (long)r.IlSize)))
            .OrderByDescending(g => g.Milliseconds)
            .Concat(records.GroupBy(r => "tier " + r.Tier).Select(g => new JitGroup(g.Key, g.Sum(r => r.Milliseconds), g.Count(), g.Sum(r => (long)r.IlSize))).OrderByDescending(g => g.Milliseconds))
            .Append(new JitGroup("total", records.Sum(r => r.Milliseconds), records.Count, records.Sum(r => (long)r.IlSize)))
            .ToList();

    internal static string GroupOf(JitRecord record)
    {
        string name = record.Name;
        int cut = name.IndexOfAny(['`', '[', ':']);
        string type = cut >= 0 ? name[..cut] : name;
        string[] parts = type.Split('.');
        string ns = string.Join('.', parts.Take(Math.Min(parts.Length - 1, 3)));
        var tags = new StringBuilder();
        if (name.Contains("Vector512", StringComparison.Ordinal) || name.Contains("Vector256", StringComparison.Ordinal) || name.Contains("Vector128", StringComparison.Ordinal) || name.Contains("Simd", StringComparison.Ordinal))
        {
            tags.Append(" [simd]");
        }

        if (name.Contains("<>c", StringComparison.Ordinal) || name.Contains(">b__", StringComparison.Ordinal) || name.Contains(">g__", StringComparison.Ordinal))
        {
            tags.Append(" [lambda/local]");
        }

        return (ns.Length > 0 ? ns : "(global)") + tags;
    }

    private static void PrintMethods(List<JitRecord> records, int top)
    {
        Console.WriteLine($"Top {top} methods by JIT time in the first fit (ms, IL bytes, tier):");
        foreach (var r in records.OrderByDescending(r => r.Milliseconds).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Milliseconds,7:F2} {r.IlSize,6} {r.Tier,-22} {Shorten(r.Name)}"));
        }
    }

    private static string Shorten(string name) => name.Length > 200 ? name[..200] + "..." : name;
}

/// <summary>
/// Splits a fit of ours into phases by the trainer's log messages (their text is the engine's): <c>scan</c> up to the
/// message "Training rows" (the first pass and the shape), <c>setup</c> up to "Training logistic/softmax ... on"
/// (kernels, L2 path), <c>descent</c> up to "Finished after", and <c>model</c> from there to the end of Fit (the
/// ML.NET model written and loaded back).
/// </summary>
internal sealed class PhaseClock
{
    private readonly Stopwatch _clock = new();
    private readonly Dictionary<string, double> _phases = [];
    private double _last;

    public void Mark(string message)
    {
        if (!_clock.IsRunning)
        {
            return;
        }

        string? phase = message.Contains("Training rows:", StringComparison.Ordinal) ? "scan"
            : message.Contains(" rows x ", StringComparison.Ordinal) && message.Contains("Training ", StringComparison.Ordinal) ? "setup"
            : message.Contains("Finished after", StringComparison.Ordinal) ? "descent"
            : null;
        if (phase is not null)
        {
            double now = _clock.Elapsed.TotalSeconds;
            _phases[phase] = now - _last;
            _last = now;
        }
    }

    public void Run(Action fit)
    {
        _phases.Clear();
        _last = 0;
        _clock.Restart();
        fit();
        double end = _clock.Elapsed.TotalSeconds;
        _clock.Stop();
        if (_phases.Count > 0)
        {
            _phases["model"] = end - _last;
        }
    }

    public Dictionary<string, double> Take() => new(_phases);
}
