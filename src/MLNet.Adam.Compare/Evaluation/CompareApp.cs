using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Data;
using MLNet.Adam.Compare.Featurization;
using MLNet.Adam.Compare.Output;
using MLNet.Adam.Compare.Trainers;
using Spectre.Console;

namespace MLNet.Adam.Compare.Evaluation;

/// <summary>
/// The tool's flow: load and featurize, optionally sweep, evaluate every trainer on every split, rank, then print
/// the leaderboard and write the best model, the reports and the plot.
/// </summary>
internal static class CompareApp
{
    public const string BestModelFile = "best-model.zip";

    /// <summary>Runs with the process console; user errors become a message and exit code <see cref="ExitCodes.UserError"/>.</summary>
    public static int Run(CompareOptions options)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected && console.Profile.Width < 160)
        {
            // Spectre assumes 80 columns when it cannot detect a terminal, which wraps every cell of the leaderboard.
            console.Profile.Width = 160;
        }

        return Run(options, console, Console.Error);
    }

    public static int Run(CompareOptions options, IAnsiConsole console, TextWriter errors) => Run(options, console, errors, null);

    /// <summary>Runs with the given console; <paramref name="trainersOverride"/> replaces the trainers chosen by the options (for tests).</summary>
    public static int Run(CompareOptions options, IAnsiConsole console, TextWriter errors, IReadOnlyList<TrainerSpec>? trainersOverride)
    {
        try
        {
            if (options.SaveDataFile is not null)
            {
                SaveData(options, console);
                return ExitCodes.Success;
            }

            var report = Execute(options, console, trainersOverride);
            if (report.AllFailed)
            {
                errors.WriteLine($"error: every trainer failed, so there is no result and no model; {ReportWriter.MarkdownFile} in {options.OutputDirectory} says why for each.");
                return ExitCodes.NoTrainerSucceeded;
            }

            return ExitCodes.Success;
        }
        catch (UserInputException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return ExitCodes.UserError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    public static CompareReport Execute(CompareOptions options, IAnsiConsole console) => Execute(options, console, null);

    /// <summary>Runs the comparison; <paramref name="trainersOverride"/> replaces the trainers chosen by the options (for tests).</summary>
    public static CompareReport Execute(CompareOptions options, IAnsiConsole console, IReadOnlyList<TrainerSpec>? trainersOverride)
    {
        var total = Stopwatch.StartNew();
        OutputFolder.Check(options.OutputDirectory);
        var context = new MLContext(options.Seed);
        LoadedData data = null!;
        IReadOnlyList<PreparedSplit> splits = [];
        var what = options.DataFile is { } file ? Path.GetFileName(file) : $"the built-in {CompareCommand.DatasetName(options.Dataset ?? BuiltInDataset.SyntheticBinary)} data";
        console.MarkupLine(Markup.Escape($"Comparing classification trainers on {what}: reading and checking the data, then featurizing it for {options.DescribeEvaluation()}"));
        console.Status().Start($"Reading {Markup.Escape(what)}", ctx =>
        {
            data = DataLoader.Load(context, options);
            ctx.Status("Featurizing (fitting the featurizer on each training split, then caching the rows)");
            splits = PreparedSplit.Create(context, data, options);
        });

        var task = data.Label.Task;
        var trainers = trainersOverride ?? TrainerRegistry.Select(options.Trainers, task);
        var setup = new TrainerSetup(context, task, options.Seed, options.Threads);
        console.MarkupLine($"[bold]Data:[/] {Markup.Escape(data.Source)}");
        console.MarkupLine($"[bold]Task:[/] {Markup.Escape(data.Label.Describe())}");
        foreach (var line in data.Features.Describe())
        {
            console.MarkupLine($"[bold]Features:[/] {Markup.Escape(line)}");
        }

        console.MarkupLine($"[bold]Evaluation:[/] {Markup.Escape(options.DescribeEvaluation())}; trainers: {string.Join(", ", trainers.Select(t => t.Id))}");
        foreach (var warning in data.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        var results = new List<TrainerResult>();
        var firstModels = new Dictionary<string, ITransformer>();
        var configs = new Dictionary<string, TrainerConfig>();
        console.Status().Spinner(Spinner.Known.Dots).Start("Training", ctx =>
        {
            var evaluator = new TrainerEvaluator(setup, StatusSink(console, ctx));
            var validation = options.Sweep ? splits[0].SplitForValidation(context, data, options.Seed + 1, !options.NoCache) : null;
            var budget = TimeSpan.FromSeconds(options.TimeBudgetSeconds / trainers.Count);
            foreach (var spec in trainers)
            {
                results.Add(Evaluate(console, evaluator, spec, task, splits, validation, budget, firstModels, configs));
            }
        });

        var ranked = CompareReport.Rank(results);
        IReadOnlyList<CurvePoint> curve = [];
        string? curveNote = null;
        CurveFit? curveFit = null;
        var adam = trainers.FirstOrDefault(t => t.Id == TrainerRegistry.AdamId);
        var adamResult = adam is null ? null : results.First(r => r.Id == adam.Id);
        if (!options.NoPlot && adam is not null && adamResult!.Error is null)
        {
            console.Status().Start("Adam per-epoch test curve", ctx =>
            {
                var evaluator = new TrainerEvaluator(setup, StatusSink(console, ctx));
                var (points, epochs, seconds, testLogLoss) = evaluator.Curve(adam, configs[adam.Id], splits[0]);
                curve = points;
                var first = adamResult.Folds[0];
                curveFit = new CurveFit(epochs, seconds, testLogLoss, first.Epochs, first.TrainSeconds);
            });
            curveNote = CurveNote(curveFit!, adamResult.Folds.Count);
        }

        Directory.CreateDirectory(options.OutputDirectory);
        var best = ranked.FirstOrDefault(r => r.Error is null);
        if (best is not null)
        {
            SaveBestModel(setup, console, data, options, splits, trainers.First(t => t.Id == best.Id), configs[best.Id], firstModels[best.Id]);
        }

        var report = new CompareReport(
            data.Source, task.ToString().ToLowerInvariant(), data.Label.Describe(), [.. data.Features.Describe()], options.DescribeEvaluation(),
            options.Seed, ranked, curve, curveNote, FitMeter.Description,
            $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}",
            total.Elapsed.TotalSeconds)
        {
            Warnings = data.Warnings,
            TimeMeasure = TimeMeasure(options),
            AdamCurveFit = curveFit,
        };
        LeaderboardRenderer.Render(console, report);
        ReportWriter.WriteJson(report, Path.Combine(options.OutputDirectory, ReportWriter.JsonFile));
        ReportWriter.WriteMarkdown(report, Path.Combine(options.OutputDirectory, ReportWriter.MarkdownFile), options.NoPlot ? null : LossPlot.FileName);
        if (!options.NoPlot)
        {
            LossPlot.Write(report, Path.Combine(options.OutputDirectory, LossPlot.FileName));
        }

        console.MarkupLine($"Wrote {Markup.Escape(options.OutputDirectory)}: {(best is null ? string.Empty : BestModelFile + ", ")}{ReportWriter.MarkdownFile}, {ReportWriter.JsonFile}{(options.NoPlot ? string.Empty : ", " + LossPlot.FileName)} ({total.Elapsed.TotalSeconds:F1}s)");
        return report;
    }

    /// <summary>How every trainer's training time is measured.</summary>
    public static string TimeMeasure(CompareOptions options) =>
        "training time = wall time of the trainer's Fit call, measured the same way for every trainer (after an untimed warm-up fit on " +
        $"{TrainerEvaluator.WarmupRows} rows, which absorbs JIT compilation), on the same featurized rows " +
        (options.NoCache ? "streamed from the source on every pass (--no-cache)" : "cached in memory") +
        "; it includes each trainer's own setup (data passes, statistics, building the model); " +
        (TieredCompilationOff
            ? "tiered JIT compilation is off in this tool (runtimeconfig), so every method is fully optimized when first compiled and no timed fit runs partly unoptimized code"
            : "tiered JIT compilation is on in this process, so early fits may run partly unoptimized code");

    /// <summary>
    /// Whether the runtime was started with tiered compilation off, as the tool's runtimeconfig asks; an environment
    /// variable DOTNET_TieredCompilation (or COMPlus_TieredCompilation) takes precedence over it, as in the runtime.
    /// </summary>
    public static bool TieredCompilationOff =>
        (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? Environment.GetEnvironmentVariable("COMPlus_TieredCompilation")) is { } variable
            ? variable.Trim() == "0"
            : AppContext.GetData("System.Runtime.TieredCompilation") is { } value && string.Equals(value.ToString(), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the per-epoch curve is and how it relates to the leaderboard's Adam point.</summary>
    public static string CurveNote(CurveFit fit, int folds)
    {
        var leaderboard = fit.LeaderboardEpochs is { } epochs
            ? FormattableString.Invariant($"{epochs} epochs in {fit.LeaderboardFitSeconds:F2} s")
            : FormattableString.Invariant($"{fit.LeaderboardFitSeconds:F2} s");
        return "Adam's per-epoch curve comes from a second fit on the first split with the test rows passed as validation data: they drive that fit's " +
            "early stopping and best-epoch choice and add a test pass after every epoch, so the curve is not the leaderboard fit, whose Adam models " +
            "never see test rows. Both fits are timed the same way (wall time of Fit), and each curve point is the wall time since that Fit call " +
            "started, taken at the end of the epoch. " +
            FormattableString.Invariant($"Curve fit: {fit.Epochs} epochs in {fit.FitSeconds:F2} s (test log-loss {fit.TestLogLoss:F4}); ") +
            $"leaderboard fit on the same split: {leaderboard}" +
            (folds > 1 ? $"; the leaderboard point is the mean over {folds} folds." : ".");
    }

    /// <summary>Writes the synthetic dataset to the --save-data file (streaming) and reports its size.</summary>
    public static SyntheticIdvWriter.Written SaveData(CompareOptions options, IAnsiConsole console)
    {
        SyntheticIdvWriter.Written written = null!;
        console.Status().Start($"Writing {options.Rows} rows to {Path.GetFileName(options.SaveDataFile)}", _ =>
            written = SyntheticIdvWriter.Write(new MLContext(options.Seed), options));

        // The process's peak working set shows that the rows were streamed, not collected.
        using var process = Process.GetCurrentProcess();
        console.MarkupLine(Markup.Escape(
            $"Wrote {written.Path}: {written.Rows} rows x {options.Features} features, {written.Bytes / 1e9:F2} GB, {written.Seconds:F1}s " +
            $"(process peak working set {process.PeakWorkingSet64 / 1e6:F0} MB)"));
        return written;
    }

    /// <summary>
    /// Live status for a terminal; when output is redirected Spectre prints every status change as a line, so updates
    /// are thinned to one every five seconds to keep logs readable.
    /// </summary>
    private static Action<string> StatusSink(IAnsiConsole console, StatusContext context)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            return text => context.Status(Markup.Escape(text));
        }

        var sinceLast = Stopwatch.StartNew();
        bool first = true;
        return text =>
        {
            if (first || sinceLast.Elapsed >= TimeSpan.FromSeconds(5))
            {
                context.Status(Markup.Escape(text));
                sinceLast.Restart();
                first = false;
            }
        };
    }

    private static TrainerResult Evaluate(
        IAnsiConsole console, TrainerEvaluator evaluator, TrainerSpec spec, TaskKind task, IReadOnlyList<PreparedSplit> splits,
        PreparedSplit? validation, TimeSpan budget, Dictionary<string, ITransformer> firstModels, Dictionary<string, TrainerConfig> configs)
    {
        var name = spec.DisplayName(task);
        var config = spec.Grid(task)[0];
        IReadOnlyList<SweepTrial> trials = [];
        try
        {
            evaluator.WarmUp(spec, config, splits[0]);
            if (validation is not null)
            {
                (config, trials) = Sweep.Run(evaluator, spec, spec.Grid(task), validation, budget);
                console.MarkupLine($"  sweep {spec.Id}: {trials.Count} configuration(s) tried, best {Markup.Escape(config.Describe())}");
            }

            configs[spec.Id] = config;
            var folds = new List<FoldResult>();
            foreach (var split in splits)
            {
                var caption = splits.Count > 1 ? $"{spec.Id} fold {split.Index + 1}/{splits.Count}" : spec.Id;
                var (result, model) = evaluator.Run(spec, config, split, caption);
                folds.Add(result);
                if (split.Index == 0)
                {
                    firstModels[spec.Id] = model;
                }

                console.MarkupLine($"  {Markup.Escape(caption)}: log-loss {result.LogLoss:F4}, accuracy {result.Accuracy:F4}, {result.TrainSeconds:F2}s");
            }

            return new TrainerResult(spec.Id, name, config.Describe(), folds, trials);
        }
        catch (Exception e) when (e is not UserInputException and not OutOfMemoryException)
        {
            var reason = $"{e.GetType().Name}: {e.Message}";
            console.MarkupLine($"  [red]{Markup.Escape(spec.Id)} failed:[/] {Markup.Escape(reason)}");
            return new TrainerResult(spec.Id, name, config.Describe(), [], trials) { Error = reason };
        }
    }

    /// <summary>
    /// Saves featurizer + model (+ key-to-class-name mapping for multiclass) so the zip scores raw rows. With cross-validation
    /// the winner is refitted on all rows; otherwise the model evaluated on the first split is saved.
    /// </summary>
    private static void SaveBestModel(
        TrainerSetup setup, IAnsiConsole console, LoadedData data, CompareOptions options, IReadOnlyList<PreparedSplit> splits,
        TrainerSpec spec, TrainerConfig config, ITransformer model)
    {
        var context = setup.Context;
        var split = splits[0];
        if (options.Evaluation == EvaluationMode.CrossValidation)
        {
            console.Status().Start($"Refitting {spec.Id} on all rows", _ =>
            {
                split = PreparedSplit.CreateAllRows(context, data, !options.NoCache);
                model = spec.Create(setup, config, null).Fit(split.Train, null);
            });
        }

        ITransformer chain = new TransformerChain<ITransformer>(split.Featurizer, model);
        if (data.Label.Task == TaskKind.Multiclass)
        {
            var names = context.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(chain.Transform(split.RawTrain));
            chain = new TransformerChain<ITransformer>(split.Featurizer, model, names);
        }

        context.Model.Save(chain, split.RawTrain.Schema, Path.Combine(options.OutputDirectory, BestModelFile));
    }
}
