namespace MLNet.Adam.Optimization;

// CONTRACT STUB (to be completed by the optimizer work).

/// <summary>A learning-rate schedule: the learning rate for each 0-based optimizer step.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate to use for update number <paramref name="step"/> (0-based).</summary>
    public abstract float GetLearningRate(long step);

    /// <summary>Reports a metric (lower is better) at the end of an epoch; only plateau schedules react.</summary>
    public virtual void ReportMetric(double metric)
    {
    }
}
