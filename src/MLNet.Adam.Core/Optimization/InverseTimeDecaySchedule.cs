namespace MLNet.Adam.Optimization;

/// <summary>Inverse-time decay: <c>lr / (1 + gamma * t)^power</c>.</summary>
public sealed class InverseTimeDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates an inverse-time-decay schedule.</summary>
    /// <param name="learningRate">The learning rate at step 0; positive and finite.</param>
    /// <param name="gamma">The decay rate per step; non-negative and finite.</param>
    /// <param name="power">The exponent; non-negative and finite (0.5 gives the classic <c>1/sqrt(t)</c> rate).</param>
    public InverseTimeDecaySchedule(float learningRate, float gamma, float power = 1f)
    {
        ScheduleArguments.Positive(nameof(learningRate), learningRate);
        ScheduleArguments.NonNegative(nameof(gamma), gamma);
        ScheduleArguments.NonNegative(nameof(power), power);
        LearningRate = learningRate;
        Gamma = gamma;
        Power = power;
    }

    /// <summary>The learning rate at step 0.</summary>
    public float LearningRate { get; }

    /// <summary>The decay rate per step.</summary>
    public float Gamma { get; }

    /// <summary>The exponent.</summary>
    public float Power { get; }

    /// <inheritdoc />
    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        return (float)(LearningRate / Math.Pow(1.0 + ((double)Gamma * step), Power));
    }
}
