using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>The engine's output: canonical parameters, the summary and a checkpoint to resume from.</summary>
internal sealed record TrainingResult(ModelShape Shape, float[] Parameters, TrainingSummary Summary, TrainingCheckpoint Checkpoint);
