namespace MLNet.Adam.Optimization;

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <summary>Creates a constant schedule.</summary>
    /// <param name="learningRate">The learning rate; positive and finite.</param>
    public ConstantSchedule(float learningRate)
    {
        ScheduleArguments.Positive(nameof(learningRate), learningRate);
        LearningRate = learningRate;
    }

    /// <summary>The learning rate.</summary>
    public float LearningRate { get; }

    /// <inheritdoc />
    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        return LearningRate;
    }
}
