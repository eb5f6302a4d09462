namespace MLNet.Adam.Optimization;

/// <summary>
/// Linear warm-up followed by cosine annealing (Loshchilov &amp; Hutter 2017, without restarts). With W warm-up steps
/// and T total steps: for <c>t &lt; W</c> the rate is <c>lr * (t + 1) / W</c> (so step 0 starts near 0 and step
/// W - 1 reaches lr); for <c>W &lt;= t &lt;= T</c> it is
/// <c>min + (lr - min) * (1 + cos(pi * (t - W) / (T - W))) / 2</c>; after T it stays at <c>min</c>.
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates a cosine schedule with optional linear warm-up.</summary>
    /// <param name="learningRate">The peak learning rate, reached at the end of warm-up; positive and finite.</param>
    /// <param name="totalSteps">The step at which the rate reaches <paramref name="minLearningRate"/>; greater than <paramref name="warmupSteps"/>.</param>
    /// <param name="warmupSteps">Number of linear warm-up steps; non-negative (0 starts at the peak).</param>
    /// <param name="minLearningRate">The final learning rate; in [0, <paramref name="learningRate"/>].</param>
    public CosineSchedule(float learningRate, long totalSteps, long warmupSteps = 0, float minLearningRate = 0f)
    {
        ScheduleArguments.Positive(nameof(learningRate), learningRate);
        ScheduleArguments.NonNegative(nameof(warmupSteps), warmupSteps);
        if (totalSteps <= warmupSteps)
        {
            throw ScheduleArguments.OutOfRange(nameof(totalSteps), totalSteps, $"must be greater than warmupSteps = {warmupSteps}");
        }

        ScheduleArguments.AtMost(nameof(minLearningRate), minLearningRate, nameof(learningRate), learningRate);
        LearningRate = learningRate;
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
        MinLearningRate = minLearningRate;
    }

    /// <summary>The peak learning rate.</summary>
    public float LearningRate { get; }

    /// <summary>The step from which the rate stays at <see cref="MinLearningRate"/>.</summary>
    public long TotalSteps { get; }

    /// <summary>Number of linear warm-up steps.</summary>
    public long WarmupSteps { get; }

    /// <summary>The final learning rate.</summary>
    public float MinLearningRate { get; }

    /// <inheritdoc />
    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        if (step < WarmupSteps)
        {
            return (float)((double)LearningRate * (step + 1) / WarmupSteps);
        }

        if (step >= TotalSteps)
        {
            return MinLearningRate;
        }

        double progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return (float)(MinLearningRate + ((LearningRate - (double)MinLearningRate) * 0.5 * (1.0 + Math.Cos(Math.PI * progress))));
    }
}
