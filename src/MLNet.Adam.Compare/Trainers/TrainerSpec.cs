using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Training;

namespace MLNet.Adam.Compare.Trainers;

/// <summary>One trainer the tool can compare: its id on the command line, what it supports, how to build it, and its sweep grid.</summary>
/// <param name="Id">Command-line id (adam, sdca, lbfgs, sgd).</param>
/// <param name="DisplayName">Name in tables and reports, per task.</param>
/// <param name="Supports">Whether the trainer handles the task.</param>
/// <param name="Create">Builds a ready-to-fit trainer for a setup, configuration and progress sink.</param>
/// <param name="Grid">Sweep configurations in the order they are tried (the first is the trainer's defaults).</param>
internal sealed record TrainerSpec(
    string Id,
    Func<TaskKind, string> DisplayName,
    Func<TaskKind, bool> Supports,
    Func<TrainerSetup, TrainerConfig, IProgress<TrainingProgress>?, ITrainerRun> Create,
    Func<TaskKind, IReadOnlyList<TrainerConfig>> Grid)
{
    /// <summary>Whether the trainer reports per-epoch progress (our Adam trainers) rather than running silently.</summary>
    public bool ReportsEpochs => Id == TrainerRegistry.AdamId;
}

/// <summary>What every trainer of a run shares.</summary>
/// <param name="Context">The run's context (ML.NET's trainers seed from it).</param>
/// <param name="Task">Binary or multiclass.</param>
/// <param name="Seed">Seed for trainers that take one explicitly (ours).</param>
/// <param name="Threads">Threads per trainer, or null for each trainer's default.</param>
internal sealed record TrainerSetup(MLContext Context, TaskKind Task, int Seed, int? Threads);

/// <summary>A trainer ready to fit once.</summary>
internal interface ITrainerRun
{
    /// <summary>Trains on featurized data; <paramref name="validation"/> is used only by trainers that monitor it (Adam).</summary>
    ITransformer Fit(IDataView train, IDataView? validation);

    /// <summary>The per-epoch summary of the last fit, for trainers that keep one (Adam), else null.</summary>
    TrainingSummary? Summary { get; }
}

/// <summary>An ML.NET estimator that keeps no per-epoch history.</summary>
internal sealed class StockTrainerRun(IEstimator<ITransformer> estimator) : ITrainerRun
{
    public TrainingSummary? Summary => null;

    public ITransformer Fit(IDataView train, IDataView? validation) => estimator.Fit(train);
}
