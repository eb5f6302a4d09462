using MLNet.Adam.Compare.Trainers;

namespace MLNet.Adam.Compare.Evaluation;

/// <summary>
/// A small per-trainer grid search: configurations are tried in the grid's order on a validation split carved from
/// the first training split (the test rows are never used), until the trainer's share of the time budget is spent;
/// the configuration with the lowest validation log-loss wins. At least one configuration is always tried.
/// </summary>
internal static class Sweep
{
    public static (TrainerConfig Best, IReadOnlyList<SweepTrial> Trials) Run(
        TrainerEvaluator evaluator, TrainerSpec spec, IReadOnlyList<TrainerConfig> grid, PreparedSplit validationSplit, TimeSpan budget)
    {
        var trials = new List<SweepTrial>();
        var started = DateTime.UtcNow;
        TrainerConfig best = grid[0];
        double bestLoss = double.PositiveInfinity;
        for (int i = 0; i < grid.Count; i++)
        {
            if (i > 0 && DateTime.UtcNow - started >= budget)
            {
                break;
            }

            var config = grid[i];
            var (result, _) = evaluator.Run(spec, config, validationSplit, $"sweep {spec.Id} {i + 1}/{grid.Count} ({config.Describe()})");
            trials.Add(new SweepTrial(config.Describe(), result.LogLoss, result.TrainSeconds));
            if (result.LogLoss < bestLoss)
            {
                (best, bestLoss) = (config, result.LogLoss);
            }
        }

        return (best, trials);
    }
}
