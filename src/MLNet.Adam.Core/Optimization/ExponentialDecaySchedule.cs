namespace MLNet.Adam.Optimization;

/// <summary>Smooth exponential decay: <c>lr * gamma^(t / decaySteps)</c> (a factor gamma every <c>decaySteps</c> steps).</summary>
public sealed class ExponentialDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates an exponential-decay schedule.</summary>
    /// <param name="learningRate">The learning rate at step 0; positive and finite.</param>
    /// <param name="gamma">The factor by which the rate has decayed after <paramref name="decaySteps"/> steps; in (0, 1].</param>
    /// <param name="decaySteps">The number of steps over which the rate decays by <paramref name="gamma"/>; positive.</param>
    public ExponentialDecaySchedule(float learningRate, float gamma, long decaySteps = 1)
    {
        ScheduleArguments.Positive(nameof(learningRate), learningRate);
        ScheduleArguments.DecayFactor(nameof(gamma), gamma);
        ScheduleArguments.Positive(nameof(decaySteps), decaySteps);
        LearningRate = learningRate;
        Gamma = gamma;
        DecaySteps = decaySteps;
    }

    /// <summary>The learning rate at step 0.</summary>
    public float LearningRate { get; }

    /// <summary>The decay factor per <see cref="DecaySteps"/> steps.</summary>
    public float Gamma { get; }

    /// <summary>The number of steps over which the rate decays by <see cref="Gamma"/>.</summary>
    public long DecaySteps { get; }

    /// <inheritdoc />
    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        return (float)(LearningRate * Math.Pow(Gamma, (double)step / DecaySteps));
    }
}
