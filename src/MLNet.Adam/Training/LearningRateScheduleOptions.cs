using MLNet.Adam.Optimization;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Training;

/// <summary>The learning-rate schedules a trainer can use.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>Multiply the learning rate by <see cref="LearningRateScheduleOptions.Factor"/> when the monitored loss (validation loss if any, else the training objective) stops improving. The default.</summary>
    ReduceOnPlateau,

    /// <summary>A constant learning rate.</summary>
    Constant,

    /// <summary>Multiply by <see cref="LearningRateScheduleOptions.Factor"/> every <see cref="LearningRateScheduleOptions.StepEpochs"/> epochs.</summary>
    StepDecay,

    /// <summary>lr * Factor^(epochs elapsed), continuous in steps.</summary>
    ExponentialDecay,

    /// <summary>lr / (1 + Gamma * t)^Power with t in epochs (continuous in steps).</summary>
    InverseTimeDecay,

    /// <summary>Linear warm-up over <see cref="LearningRateScheduleOptions.WarmupEpochs"/>, then cosine down to <see cref="LearningRateScheduleOptions.MinimumLearningRate"/> at the last epoch.</summary>
    Cosine,
}

/// <summary>Which schedule the trainer uses and its parameters (epochs are converted to optimizer steps).</summary>
public sealed class LearningRateScheduleOptions
{
    /// <summary>The schedule.</summary>
    public LearningRateScheduleKind Kind = LearningRateScheduleKind.ReduceOnPlateau;

    /// <summary>Multiplier of step decay, exponential decay (per epoch) and reduce-on-plateau.</summary>
    public float Factor = AdamTrainerDefaults.ScheduleFactor;

    /// <summary>Epochs between step-decay reductions.</summary>
    public int StepEpochs = AdamTrainerDefaults.ScheduleStepEpochs;

    /// <summary>Inverse-time decay's gamma (per epoch).</summary>
    public float Gamma = AdamTrainerDefaults.ScheduleGamma;

    /// <summary>Inverse-time decay's power.</summary>
    public float Power = AdamTrainerDefaults.SchedulePower;

    /// <summary>Cosine schedule's linear warm-up, in epochs.</summary>
    public float WarmupEpochs;

    /// <summary>Reduce-on-plateau: epochs without improvement before reducing.</summary>
    public int PlateauPatience;

    /// <summary>The smallest learning rate of cosine and reduce-on-plateau schedules, as a fraction of the initial one.</summary>
    public float MinimumLearningRateRatio = AdamTrainerDefaults.MinimumLearningRateRatio;

    /// <summary>The smallest learning rate as an absolute value; derived from <see cref="MinimumLearningRateRatio"/> when null.</summary>
    public float? MinimumLearningRate;
}
