using System.Globalization;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>Command-line options of the <c>fit</c> verb (parent) and of <c>fit-one</c> (one fit in this process).</summary>
internal sealed class FitArguments
{
    public const string DefaultCacheDirectory = "/tmp/mlnet-adam-bench";

    public static readonly string[] AllDatasets = ["synthetic", "adult", "fashion-mnist", "streamed", "labeler"];

    public static readonly string[] AllTrainers = ["adam", "lbfgs", "sdca", "adam1"];

    /// <summary>The trainers run when <c>--trainers</c> is not given: ours and the two peers.</summary>
    public static readonly string[] DefaultTrainers = ["adam", "lbfgs", "sdca"];

    public const string Usage = """
        fit [options]        each (dataset, trainer) Fit in its own fresh process, interleaved rounds, medians
          --datasets LIST    comma-separated, default synthetic,adult,fashion-mnist,streamed,labeler
          --trainers LIST    comma-separated among adam,lbfgs,sdca,adam1 (default adam,lbfgs,sdca; adam1 is ours
                             with NumberOfThreads = 1, to compare with ours at the default thread count)
          --streamed-sdca    also run SDCA on `streamed` (left out by default: minutes per fit)
          --rounds N         rounds of interleaved runs, default 3 (the table shows medians)
          --cache-dir DIR    where the streamed .idv files are written once and reused, default /tmp/mlnet-adam-bench
          --output FILE      also write the markdown table to FILE and the raw runs to FILE with extension .json
          --adam NAME=VALUE  set an option of our trainers' Options (repeatable; for example NumberOfThreads=1,
                             L2Regularization=0.1, Schedule.Kind=Constant; `null` clears a nullable option)
          --timeout-minutes M  give up on one child after M minutes, default 60
        fit-one --dataset NAME --trainer NAME [--cache-dir DIR] [--adam NAME=VALUE ...] [--json] [--log]
                             one fit in this process (what `fit` runs in each child); --json prints one JSON line;
                             --log writes our trainer's log messages (plan, L2 path, epochs) to standard error
        """;

    public List<string> Datasets { get; private set; } = [.. AllDatasets];

    public List<string> Trainers { get; private set; } = [.. DefaultTrainers];

    public bool StreamedSdca { get; private set; }

    public int Rounds { get; private set; } = 3;

    public string CacheDirectory { get; private set; } = DefaultCacheDirectory;

    public string? Output { get; private set; }

    public List<string> AdamSettings { get; } = [];

    public double TimeoutMinutes { get; private set; } = 60;

    public bool Json { get; private set; }

    /// <summary>fit-one: write our trainer's log messages to standard error.</summary>
    public bool Log { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/> (after the verb); throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static FitArguments Parse(IReadOnlyList<string> args, bool single)
    {
        var result = new FitArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Option {name} needs a value.");
                }

                return args[++i];
            }

            switch (name)
            {
                case "--datasets" when !single:
                    result.Datasets = List(Value(), AllDatasets, name);
                    break;
                case "--dataset" when single:
                    result.Datasets = List(Value(), AllDatasets, name);
                    break;
                case "--trainers" when !single:
                    result.Trainers = List(Value(), AllTrainers, name);
                    break;
                case "--trainer" when single:
                    result.Trainers = List(Value(), AllTrainers, name);
                    break;
                case "--streamed-sdca" when !single:
                    result.StreamedSdca = true;
                    break;
                case "--rounds" when !single:
                    result.Rounds = PositiveInt(Value(), name);
                    break;
                case "--cache-dir":
                    result.CacheDirectory = Value();
                    break;
                case "--output" when !single:
                    result.Output = Value();
                    break;
                case "--adam":
                    string setting = Value();
                    AdamOptionSetter.Validate(setting);
                    result.AdamSettings.Add(setting);
                    break;
                case "--timeout-minutes" when !single:
                    result.TimeoutMinutes = PositiveInt(Value(), name);
                    break;
                case "--json" when single:
                    result.Json = true;
                    break;
                case "--log" when single:
                    result.Log = true;
                    break;
                case "--help" or "-h":
                    result.Help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name} for {(single ? "fit-one" : "fit")}.");
            }
        }

        if (single && (result.Datasets.Count != 1 || result.Trainers.Count != 1) && !result.Help)
        {
            throw new ArgumentException("fit-one needs exactly one --dataset and one --trainer.");
        }

        return result;
    }

    private static List<string> List(string value, string[] known, string option)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v.ToLowerInvariant()).Distinct().ToList();
        var unknown = items.Where(v => !known.Contains(v)).ToList();
        if (items.Count == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"{option}: unknown value(s) \"{string.Join(", ", unknown)}\"; known: {string.Join(", ", known)}.");
        }

        return items;
    }

    private static int PositiveInt(string value, string option) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{option} must be a positive integer, got \"{value}\".");
}
