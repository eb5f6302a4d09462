using BenchmarkDotNet.Running;
using MLNet.Adam.Benchmarks;
using MLNet.Adam.Benchmarks.ColdStart;
using MLNet.Adam.Benchmarks.Fit;

// `quick`: a measured harness (well under 3 minutes) printing `name: value` lines; `quick update gradient` runs only
// the named parts (update, gradient, mkl, training).
// `coldstart`: first vs second Fit in fresh child processes (`coldstart-one`), JIT counters; `coldstart --help`.
// `fit`: issue 11's table, every (data set, trainer) Fit in a fresh child process (`fit-one`); `fit --help` lists
// the options.
// Anything else goes to BenchmarkDotNet's switcher (for example `--filter *` for the full suite).
if (args.Length > 0 && args[0] is "fit" or "fit-one")
{
    bool single = args[0] == "fit-one";
    FitArguments fitArguments;
    try
    {
        fitArguments = FitArguments.Parse(args.Skip(1).ToList(), single);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(FitArguments.Usage);
        return 2;
    }

    if (fitArguments.Help)
    {
        Console.WriteLine(FitArguments.Usage);
        return 0;
    }

    try
    {
        return single ? FitOne.Run(fitArguments) : FitCommand.Run(fitArguments, args.Skip(1).ToList());
    }
    catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
}

if (args.Length > 0 && args[0] is "coldstart" or "coldstart-one")
{
    try
    {
        if (args[0] == "coldstart")
        {
            return ColdStartCommand.Run(args.Skip(1).ToList());
        }

        string? dataset = null, trainer = null, variant = "this", warm = null;
        bool jitEvents = false, json = false;
        int top = 25;
        for (int i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {args[i]} needs a value.");
            switch (args[i])
            {
                case "--dataset": dataset = Value(); break;
                case "--trainer": trainer = Value(); break;
                case "--variant": variant = Value(); break;
                case "--warm": warm = Value(); break;
                case "--top": top = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--jit-events": jitEvents = true; break;
                case "--json": json = true; break;
                default: throw new ArgumentException($"Unknown option {args[i]} for coldstart-one.");
            }
        }

        return ColdStartOne.Run(
            dataset ?? throw new ArgumentException("coldstart-one needs --dataset."), trainer ?? throw new ArgumentException("coldstart-one needs --trainer."),
            variant, jitEvents, json, top, warm);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(ColdStartCommand.Usage);
        return 2;
    }
}

if (args.Length > 0 && args[0] == "quick")
{
    var parts = new (string Name, Action<QuickReport> Run)[]
    {
        ("update", UpdateQuick.Run),
        ("gradient", GradientQuick.Run),
        ("mkl", MklQuick.Run),
        ("training", TrainingQuick.Run),
    };
    var chosen = args.Skip(1).ToList();
    var unknown = chosen.Where(c => !parts.Any(p => p.Name == c)).ToList();
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"Unknown quick part(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", parts.Select(p => p.Name))}.");
        return 2;
    }

    var report = new QuickReport();
    foreach (var part in parts.Where(p => chosen.Count == 0 || chosen.Contains(p.Name)))
    {
        part.Run(report);
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(QuickReport).Assembly).Run(args);
return 0;
