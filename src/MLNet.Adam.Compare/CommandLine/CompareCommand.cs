using System.CommandLine;
using MLNet.Adam.Compare.Data;
using MLNet.Adam.Compare.Trainers;

namespace MLNet.Adam.Compare.CommandLine;

/// <summary>The root command: its options, their help texts, and their translation into <see cref="CompareOptions"/>.</summary>
internal sealed class CompareCommand
{
    private readonly Option<FileInfo?> _data = new("--data") { Description = "CSV/TSV text file (read as ML.NET's TextLoader reads it: // and leading # comment lines skipped, a '#@ TextLoader{...}' schema header understood, double quotes allowed), or an ML.NET binary .idv file.", HelpName = "FILE" };
    private readonly Option<string?> _label = new("--label", "--label-col") { Description = $"Label column of --data, by name or zero-based position (default: {CompareOptions.DefaultLabelColumn}).", HelpName = "NAME" };
    private readonly Option<string?> _task = new("--task") { Description = "binary or multiclass; default: inferred from the label (two distinct values = binary). Also accepts a numeric label with many distinct values, which is otherwise refused as a regression target.", HelpName = "binary|multiclass" };
    private readonly Option<string?> _hasHeader = new("--has-header") { Description = "Whether the first row of a text file (after comment lines) names the columns (default true). With false, columns are named col0, col1, ... by position.", HelpName = "true|false" };
    private readonly Option<string?> _separator = new("--separator") { Description = "Field separator of a text file: one character or tab, comma, semicolon, space, pipe, colon (default: tab for .tsv or when the first row has a tab, else semicolon when it has semicolons and any commas in it are decimal commas, else comma).", HelpName = "CHAR" };
    private readonly Option<string?> _decimalMarker = new("--decimal-marker") { Description = "Decimal marker of the numbers in a text file: . or , (default .).", HelpName = ".|," };
    private readonly Option<string[]> _ignoreColumns = new("--ignore-cols") { Description = "Columns of --data not to use as features (ids, keys, leaks), by name or zero-based position; comma- or space-separated, or repeated.", HelpName = "LIST", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string?> _positiveClass = new("--positive-class") { Description = "The label value that is the positive class of a binary task (default: 1, true, yes, positive, pos or + when present, else the later value in ordinal order).", HelpName = "VALUE" };
    private readonly Option<FileInfo?> _test = new("--test") { Description = "Test file in the same format and columns as --data: train on all of --data, evaluate on it.", HelpName = "FILE" };
    private readonly Option<string?> _dataset = new("--dataset") { Description = "Built-in data when no --data is given (default synthetic-binary). fashion-mnist needs the Debian package dataset-fashion-mnist.", HelpName = "synthetic-binary|synthetic-multiclass|fashion-mnist" };
    private readonly Option<int?> _rows = new("--rows") { Description = $"Rows of a synthetic dataset (default {CompareOptions.DefaultRows}); for fashion-mnist, a cap on the training images.", HelpName = "N" };
    private readonly Option<int?> _features = new("--features") { Description = $"Features of a synthetic dataset (default {CompareOptions.DefaultFeatures}).", HelpName = "N" };
    private readonly Option<int?> _classes = new("--classes") { Description = $"Classes of synthetic-multiclass (default {CompareOptions.DefaultClasses}).", HelpName = "N" };
    private readonly Option<string?> _trainers = new("--trainers") { Description = $"Comma-separated trainers: {string.Join(",", TrainerRegistry.Ids)} (default: all that support the task; sgd is binary only).", HelpName = "LIST" };
    private readonly Option<int?> _folds = new("--folds") { Description = "Evaluate by K-fold cross-validation.", HelpName = "K" };
    private readonly Option<double?> _holdout = new("--holdout") { Description = $"Evaluate on a random fraction of the rows held out (default {CompareOptions.DefaultHoldout}; fashion-mnist uses its 10,000 test images).", HelpName = "FRACTION" };
    private readonly Option<bool> _sweep = new("--sweep") { Description = "Sweep a small hyperparameter grid per trainer (learning rate x L2 for adam, L2 for the others) on a validation split of the training data, then evaluate each trainer's best configuration." };
    private readonly Option<double?> _timeBudget = new("--time-budget", "--train-time") { Description = $"Seconds for the whole sweep, shared equally by the trainers (default {CompareOptions.DefaultTimeBudgetSeconds}).", HelpName = "SECONDS" };
    private readonly Option<DirectoryInfo?> _output = new("--output") { Description = $"Folder for the best model (zip), report.md, results.json and loss-vs-time.png (default ./{CompareOptions.DefaultOutputDirectory}); created if missing, and checked to be a writable folder before anything is trained.", HelpName = "DIR" };
    private readonly Option<int?> _seed = new("--seed") { Description = "Seed of data generation, splits and trainers (default 1).", HelpName = "N" };
    private readonly Option<int?> _threads = new("--threads") { Description = "NumberOfThreads of every trainer (default: each trainer's own default; ours uses all cores).", HelpName = "N" };
    private readonly Option<bool> _noPlot = new("--no-plot") { Description = "Do not write the PNG plot, and skip the second Adam fit that draws its per-epoch test curve." };
    private readonly Option<bool> _noCache = new("--no-cache") { Description = "Do not cache the featurized rows in memory: every trainer reads (streams) them from the source on each pass. For data larger than memory, such as a big .idv file." };
    private readonly Option<FileInfo?> _saveData = new("--save-data") { Description = "Write the synthetic dataset (--dataset, --rows, --features, --classes, --seed) to this ML.NET binary .idv file, streaming row by row, and exit.", HelpName = "FILE" };

    /// <summary>Builds the root command; <paramref name="run"/> receives the validated options and returns the exit code.</summary>
    public static RootCommand Create(Func<CompareOptions, int> run)
    {
        var definition = new CompareCommand();
        var root = new RootCommand(
            "Ranks MLNet.Adam's Adam trainers against ML.NET's SDCA, L-BFGS and SGD on your data: accuracy/AUC or " +
            "micro/macro accuracy, log-loss, training time, memory and model size; writes the best model, a Markdown " +
            "report, JSON results and a plot of test log-loss against training time." + Environment.NewLine + Environment.NewLine +
            ExitCodes.Help);
        foreach (var option in definition.All)
        {
            root.Options.Add(option);
        }

        root.SetAction(parseResult =>
        {
            CompareOptions options;
            try
            {
                options = definition.ToOptions(parseResult);
            }
            catch (UserInputException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.UserError;
            }

            return run(options);
        });
        return root;
    }

    /// <summary>Parses <paramref name="args"/> into options (for tests); throws <see cref="UserInputException"/> on any error.</summary>
    public static CompareOptions Parse(params string[] args)
    {
        var definition = new CompareCommand();
        var root = new RootCommand();
        foreach (var option in definition.All)
        {
            root.Options.Add(option);
        }

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            throw new UserInputException(string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
        }

        return definition.ToOptions(result);
    }

    private IEnumerable<Option> All =>
        [_data, _label, _task, _hasHeader, _separator, _decimalMarker, _ignoreColumns, _positiveClass, _test, _dataset, _rows, _features, _classes, _trainers, _folds, _holdout, _sweep, _timeBudget, _output, _seed, _threads, _noPlot, _noCache, _saveData];

    private CompareOptions ToOptions(ParseResult result)
    {
        var data = result.GetValue(_data);
        var test = result.GetValue(_test);
        var datasetText = result.GetValue(_dataset);
        var folds = result.GetValue(_folds);
        var holdout = result.GetValue(_holdout);

        if (data is not null && datasetText is not null)
        {
            throw new UserInputException("--data and --dataset cannot be combined: pick one source of data.");
        }

        if (data is null && test is not null)
        {
            throw new UserInputException("--test needs --data (the training file).");
        }

        if (data is null && (result.GetValue(_label) is not null || result.GetValue(_task) is not null))
        {
            throw new UserInputException("--label and --task apply to --data only; built-in datasets know their label and task.");
        }

        var ignoreColumns = (result.GetValue(_ignoreColumns) ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();
        var hasHeader = ParseBool(result.GetValue(_hasHeader), "--has-header");
        var separator = ParseSeparator(result.GetValue(_separator));
        var decimalMarker = ParseDecimalMarker(result.GetValue(_decimalMarker));
        var positiveClass = result.GetValue(_positiveClass);
        if (data is null && (ignoreColumns.Count > 0 || positiveClass is not null || hasHeader is not null || separator is not null || decimalMarker is not null))
        {
            throw new UserInputException("--has-header, --separator, --decimal-marker, --ignore-cols and --positive-class apply to --data only; built-in datasets know their columns and classes.");
        }

        if (data is not null && IdvSource.IsIdvPath(data.Name) && (hasHeader is not null || separator is not null || decimalMarker is not null))
        {
            throw new UserInputException("--has-header, --separator and --decimal-marker apply to text files; an .idv file stores its schema.");
        }

        if (separator is { } sep && decimalMarker == sep && sep != ',')
        {
            throw new UserInputException($"--separator and --decimal-marker cannot both be '{sep}'.");
        }

        if ((folds is not null ? 1 : 0) + (holdout is not null ? 1 : 0) + (test is not null ? 1 : 0) > 1)
        {
            throw new UserInputException("Choose one evaluation: --folds, --holdout or --test.");
        }

        if (folds is < 2)
        {
            throw new UserInputException($"--folds must be at least 2 (got {folds}).");
        }

        if (holdout is { } fraction && !(fraction > 0 && fraction < 1))
        {
            throw new UserInputException($"--holdout must be a fraction between 0 and 1, exclusive (got {fraction}).");
        }

        var saveData = result.GetValue(_saveData);
        if (saveData is not null)
        {
            CheckSaveData(saveData, data is not null, result.GetValue(_trainers) is not null || folds is not null || holdout is not null || result.GetValue(_sweep) || result.GetValue(_noCache));
        }

        var dataset = data is null ? ParseDataset(datasetText ?? "synthetic-binary") : (BuiltInDataset?)null;
        var evaluation = folds is not null ? EvaluationMode.CrossValidation
            : test is not null ? EvaluationMode.TestFile
            : holdout is null && dataset == BuiltInDataset.FashionMnist ? EvaluationMode.BuiltInTestSplit
            : EvaluationMode.Holdout;

        var rows = Positive(result.GetValue(_rows), "--rows", CompareOptions.DefaultRows, minimum: 20);
        var features = Positive(result.GetValue(_features), "--features", CompareOptions.DefaultFeatures, minimum: 1);
        var classes = Positive(result.GetValue(_classes), "--classes", CompareOptions.DefaultClasses, minimum: 3);
        if (result.GetValue(_timeBudget) is not null && !result.GetValue(_sweep))
        {
            throw new UserInputException("--time-budget applies to --sweep (so does its alias --train-time); add --sweep or drop it.");
        }

        var budget = result.GetValue(_timeBudget) ?? CompareOptions.DefaultTimeBudgetSeconds;
        if (!(budget > 0))
        {
            throw new UserInputException($"--time-budget must be a positive number of seconds (got {budget}).");
        }

        return new CompareOptions
        {
            DataFile = data?.FullName,
            LabelColumn = result.GetValue(_label) ?? CompareOptions.DefaultLabelColumn,
            HasHeader = hasHeader,
            Separator = separator,
            DecimalMarker = decimalMarker,
            IgnoreColumns = ignoreColumns,
            PositiveClass = positiveClass,
            Task = ParseTask(result.GetValue(_task)),
            TestFile = test?.FullName,
            Dataset = dataset,
            Rows = rows,
            RowsGiven = result.GetValue(_rows) is not null,
            Features = features,
            Classes = classes,
            Trainers = TrainerRegistry.ParseList(result.GetValue(_trainers)),
            Evaluation = evaluation,
            Folds = folds ?? 5,
            HoldoutFraction = holdout ?? CompareOptions.DefaultHoldout,
            Sweep = result.GetValue(_sweep),
            TimeBudgetSeconds = budget,
            OutputDirectory = result.GetValue(_output)?.FullName ?? Path.GetFullPath(CompareOptions.DefaultOutputDirectory),
            Seed = result.GetValue(_seed) ?? 1,
            Threads = result.GetValue(_threads) is { } threads ? Positive(threads, "--threads", threads, minimum: 1) : null,
            NoPlot = result.GetValue(_noPlot),
            NoCache = result.GetValue(_noCache),
            SaveDataFile = saveData?.FullName,
        };
    }

    private static void CheckSaveData(FileInfo file, bool hasData, bool hasEvaluationOptions)
    {
        if (hasData)
        {
            throw new UserInputException("--save-data writes a built-in synthetic dataset; it cannot be combined with --data.");
        }

        if (hasEvaluationOptions)
        {
            throw new UserInputException("--save-data only writes the data and exits: drop --trainers, --folds, --holdout, --sweep and --no-cache, and evaluate in a second run with --data FILE.");
        }

        if (!IdvSource.IsIdvPath(file.Name))
        {
            throw new UserInputException($"--save-data writes an ML.NET binary file: its name must end in .idv (got '{file.Name}').");
        }
    }

    private static int Positive(int? value, string name, int fallback, int minimum)
    {
        if (value is { } v && v < minimum)
        {
            throw new UserInputException($"{name} must be at least {minimum} (got {v}).");
        }

        return value ?? fallback;
    }

    private static bool? ParseBool(string? text, string name) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "true" or "yes" or "1" or "+" => true,
        "false" or "no" or "0" or "-" => false,
        _ => throw new UserInputException($"{name} must be true or false (got '{text}')."),
    };

    private static char? ParseSeparator(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DelimitedFile.SeparatorNames.TryGetValue(text.Trim(), out var named))
        {
            return named;
        }

        if (text.Length != 1 || text[0] == '"' || text[0] == '\r' || text[0] == '\n')
        {
            throw new UserInputException(
                $"--separator must be one character or one of {string.Join(", ", DelimitedFile.SeparatorNames.Keys.Where(k => k != "\\t"))} (got '{text}').");
        }

        return text[0];
    }

    private static char? ParseDecimalMarker(string? text) => text?.Trim() switch
    {
        null => null,
        "." => '.',
        "," => ',',
        "comma" => ',',
        "dot" or "period" => '.',
        _ => throw new UserInputException($"--decimal-marker must be . or , (got '{text}')."),
    };

    /// <summary>The --dataset spelling of a built-in dataset.</summary>
    public static string DatasetName(BuiltInDataset dataset) => dataset switch
    {
        BuiltInDataset.SyntheticBinary => "synthetic-binary",
        BuiltInDataset.SyntheticMulticlass => "synthetic-multiclass",
        _ => "fashion-mnist",
    };

    private static BuiltInDataset ParseDataset(string text) => text.ToLowerInvariant() switch
    {
        "synthetic-binary" => BuiltInDataset.SyntheticBinary,
        "synthetic-multiclass" => BuiltInDataset.SyntheticMulticlass,
        "fashion-mnist" => BuiltInDataset.FashionMnist,
        _ => throw new UserInputException($"Unknown --dataset '{text}'. Choose synthetic-binary, synthetic-multiclass or fashion-mnist."),
    };

    private static TaskKind? ParseTask(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "binary" => TaskKind.Binary,
        "multiclass" => TaskKind.Multiclass,
        _ => throw new UserInputException($"Unknown --task '{text}'. Choose binary or multiclass."),
    };
}
