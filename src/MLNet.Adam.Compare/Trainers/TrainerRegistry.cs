using Microsoft.ML;
using Microsoft.ML.Trainers;
using MLNet.Adam.Compare.CommandLine;
using static MLNet.Adam.Compare.Trainers.TrainerConfig;

namespace MLNet.Adam.Compare.Trainers;

/// <summary>The trainers the tool compares, in leaderboard order of ties: ours first, then ML.NET's.</summary>
internal static class TrainerRegistry
{
    public const string AdamId = "adam";

    public static IReadOnlyList<TrainerSpec> All { get; } =
    [
        new(
            AdamId,
            task => task == TaskKind.Binary ? "AdamLogisticRegression (ours)" : "AdamMaximumEntropy (ours)",
            _ => true,
            (setup, config, progress) => new AdamTrainerRun(setup, config, progress),
            _ => [.. from lr in new[] { 0.01, 0.003, 0.03, 0.1 } from l2 in new[] { 1.0, 0.1, 10.0 } select Of((LearningRate, lr), (L2, l2))]),
        new(
            "sdca",
            task => task == TaskKind.Binary ? "SdcaLogisticRegression" : "SdcaMaximumEntropy",
            _ => true,
            CreateSdca,
            _ => [Defaults, .. new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1.0 }.Select(l2 => Of((L2, l2)))]),
        new(
            "lbfgs",
            task => task == TaskKind.Binary ? "LbfgsLogisticRegression" : "LbfgsMaximumEntropy",
            _ => true,
            CreateLbfgs,
            _ => [.. new[] { 1.0, 0.1, 0.01, 10.0 }.Select(l2 => Of((L2, l2)))]),
        new(
            "sgd",
            _ => "SgdCalibrated",
            task => task == TaskKind.Binary,
            (setup, config, _) => new StockTrainerRun(
                setup.Context.BinaryClassification.Trainers.SgdCalibrated(
                    new SgdCalibratedTrainer.Options { L2Regularization = config.Get(L2) ?? 1e-6f, Shuffle = true, NumberOfThreads = setup.Threads })),
            _ => [.. new[] { 1e-6, 1e-5, 1e-4, 1e-3 }.Select(l2 => Of((L2, l2)))]),
    ];

    public static IEnumerable<string> Ids => All.Select(t => t.Id);

    /// <summary>Parses "adam,sdca" into ids (lower case, deduplicated); null or empty means all.</summary>
    public static IReadOnlyList<string> ParseList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var ids = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => id.ToLowerInvariant()).Distinct().ToList();
        var unknown = ids.Where(id => !All.Any(t => t.Id == id)).ToList();
        if (unknown.Count > 0)
        {
            throw new UserInputException($"Unknown trainer(s) in --trainers: {string.Join(", ", unknown)}. Known: {string.Join(", ", Ids)}.");
        }

        return ids;
    }

    /// <summary>The trainers to run for <paramref name="task"/>: those asked for (an error if one does not support it), or all that do.</summary>
    public static IReadOnlyList<TrainerSpec> Select(IReadOnlyList<string> ids, TaskKind task)
    {
        if (ids.Count == 0)
        {
            return [.. All.Where(t => t.Supports(task))];
        }

        var chosen = ids.Select(id => All.First(t => t.Id == id)).ToList();
        var unsupported = chosen.Where(t => !t.Supports(task)).Select(t => t.Id).ToList();
        if (unsupported.Count > 0)
        {
            throw new UserInputException($"Trainer(s) {string.Join(", ", unsupported)} do not support {task.ToString().ToLowerInvariant()} classification.");
        }

        return chosen;
    }

    private static ITrainerRun CreateSdca(TrainerSetup setup, TrainerConfig config, IProgress<Training.TrainingProgress>? progress)
    {
        var l2 = config.Get(L2);
        return setup.Task == TaskKind.Binary
            ? new StockTrainerRun(setup.Context.BinaryClassification.Trainers.SdcaLogisticRegression(
                new SdcaLogisticRegressionBinaryTrainer.Options { L2Regularization = l2, NumberOfThreads = setup.Threads }))
            : new StockTrainerRun(setup.Context.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                new SdcaMaximumEntropyMulticlassTrainer.Options { L2Regularization = l2, NumberOfThreads = setup.Threads }));
    }

    private static ITrainerRun CreateLbfgs(TrainerSetup setup, TrainerConfig config, IProgress<Training.TrainingProgress>? progress)
    {
        var l2 = config.Get(L2) ?? 1f;
        return setup.Task == TaskKind.Binary
            ? new StockTrainerRun(setup.Context.BinaryClassification.Trainers.LbfgsLogisticRegression(
                new LbfgsLogisticRegressionBinaryTrainer.Options { L2Regularization = l2, NumberOfThreads = setup.Threads }))
            : new StockTrainerRun(setup.Context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new LbfgsMaximumEntropyMulticlassTrainer.Options { L2Regularization = l2, NumberOfThreads = setup.Threads }));
    }
}
