namespace MLNet.Adam.Optimization;

/// <summary>Piecewise-constant decay: <c>lr * gamma^floor(t / stepSize)</c>.</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates a step-decay schedule.</summary>
    /// <param name="learningRate">The learning rate of steps 0 .. <paramref name="stepSize"/> - 1; positive and finite.</param>
    /// <param name="stepSize">Number of steps between decays; positive.</param>
    /// <param name="gamma">The multiplier applied every <paramref name="stepSize"/> steps; in (0, 1].</param>
    public StepDecaySchedule(float learningRate, long stepSize, float gamma)
    {
        ScheduleArguments.Positive(nameof(learningRate), learningRate);
        ScheduleArguments.Positive(nameof(stepSize), stepSize);
        ScheduleArguments.DecayFactor(nameof(gamma), gamma);
        LearningRate = learningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>The initial learning rate.</summary>
    public float LearningRate { get; }

    /// <summary>Number of steps between decays.</summary>
    public long StepSize { get; }

    /// <summary>The multiplier applied every <see cref="StepSize"/> steps.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        return (float)(LearningRate * Math.Pow(Gamma, step / StepSize));
    }
}
