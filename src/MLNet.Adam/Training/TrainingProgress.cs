namespace MLNet.Adam.Training;

/// <summary>A progress report of a running <c>Fit</c>.</summary>
/// <param name="Epoch">1-based epoch in progress (or just finished when <paramref name="IsEpochEnd"/>).</param>
/// <param name="Step">Optimizer steps taken so far.</param>
/// <param name="RowsSeen">Training rows processed so far, over all epochs.</param>
/// <param name="TrainingLoss">Mean weighted cross-entropy of the batches of this epoch so far.</param>
/// <param name="ValidationLoss">Mean validation cross-entropy after the epoch, when validation data exists and the epoch ended.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch, when available.</param>
/// <param name="LearningRate">The learning rate of the last step.</param>
/// <param name="Elapsed">Time since <c>Fit</c> started.</param>
/// <param name="RowsPerSecond">Training throughput so far.</param>
/// <param name="IsEpochEnd">True for the report at the end of an epoch.</param>
public sealed record TrainingProgress(
    int Epoch,
    long Step,
    long RowsSeen,
    double TrainingLoss,
    double? ValidationLoss,
    double? ValidationAccuracy,
    float LearningRate,
    TimeSpan Elapsed,
    double RowsPerSecond,
    bool IsEpochEnd)
{
    /// <summary>One line for logs.</summary>
    public override string ToString()
    {
        var validation = ValidationLoss is { } loss ? $", validation loss {loss:F5}" + (ValidationAccuracy is { } acc ? $", accuracy {acc:F4}" : string.Empty) : string.Empty;
        return $"epoch {Epoch}, step {Step}, rows {RowsSeen}, training loss {TrainingLoss:F5}{validation}, learning rate {LearningRate:G4}, " +
            $"elapsed {Elapsed.TotalSeconds:F2}s, {RowsPerSecond:F0} rows/s";
    }
}

/// <summary>One finished epoch of the training history.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">Mean weighted cross-entropy over the epoch's batches (without the regularization term).</param>
/// <param name="ValidationLoss">Validation cross-entropy after the epoch, if any.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch, if any.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Elapsed">Time since <c>Fit</c> started, at the end of the epoch.</param>
/// <param name="Steps">Optimizer steps taken so far.</param>
public sealed record EpochRecord(int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationAccuracy, float LearningRate, TimeSpan Elapsed, long Steps);
