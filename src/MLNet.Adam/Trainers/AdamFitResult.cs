using Microsoft.ML;
using MLNet.Adam.Training;

namespace MLNet.Adam.Trainers;

/// <summary>
/// The outcome of one <c>Fit</c>: ML.NET's prediction transformer together with the summary and the checkpoint of
/// that same run. Returned by <c>FitDetailed</c>, so concurrent and repeated fits on one trainer (cross-validation
/// folds, parallel experiments) each get their own.
/// </summary>
/// <typeparam name="TTransformer">The prediction transformer the trainer's <c>Fit</c> returns.</typeparam>
/// <example>
/// <code>
/// var (model, summary, checkpoint) = trainer.FitDetailed(trainData);
/// Console.WriteLine($"{summary.Epochs} epochs: {summary.StopReason}");
/// var longer = trainer.FitDetailed(trainData, checkpoint).Model;   // continue the same run
/// </code>
/// </example>
public sealed class AdamFitResult<TTransformer>
    where TTransformer : class, ITransformer
{
    internal AdamFitResult(TTransformer model, TrainingSummary summary, TrainingCheckpoint checkpoint)
    {
        Model = model;
        Summary = summary;
        Checkpoint = checkpoint;
    }

    /// <summary>The trained prediction transformer (ML.NET's own type), as <c>Fit</c> returns it.</summary>
    public TTransformer Model { get; }

    /// <summary>What the run did: per-epoch history, stop reason, rows used and skipped, kernels.</summary>
    public TrainingSummary Summary { get; }

    /// <summary>A checkpoint of the run's final state, from which <c>Fit(trainData, checkpoint)</c> continues it exactly.</summary>
    public TrainingCheckpoint Checkpoint { get; }

    /// <summary>Deconstructs into the model, the summary and the checkpoint.</summary>
    /// <param name="model">Receives <see cref="Model"/>.</param>
    /// <param name="summary">Receives <see cref="Summary"/>.</param>
    /// <param name="checkpoint">Receives <see cref="Checkpoint"/>.</param>
    public void Deconstruct(out TTransformer model, out TrainingSummary summary, out TrainingCheckpoint checkpoint)
    {
        model = Model;
        summary = Summary;
        checkpoint = Checkpoint;
    }
}
