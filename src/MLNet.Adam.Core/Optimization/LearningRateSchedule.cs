namespace MLNet.Adam.Optimization;

/// <summary>
/// A learning-rate schedule: the learning rate for each 0-based optimizer step. Schedules are validated when
/// constructed; only <see cref="ReduceOnPlateauSchedule"/> has mutable state, which <see cref="SaveState"/> and
/// <see cref="LoadState"/> carry across a checkpoint.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate to use for update number <paramref name="step"/> (0-based).</summary>
    /// <param name="step">The 0-based update number, usually <see cref="AdamState.Step"/> before the update; non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public abstract float GetLearningRate(long step);

    /// <summary>Reports a metric (lower is better) at the end of an epoch; only plateau schedules react.</summary>
    /// <param name="metric">The epoch's metric, for example the validation loss.</param>
    public virtual void ReportMetric(double metric)
    {
    }

    /// <summary>
    /// Whether reporting metrics can no longer lower the rate: true for schedules that do not react to
    /// <see cref="ReportMetric"/>; a <see cref="ReduceOnPlateauSchedule"/> is at its floor once its rate has reached
    /// its minimum. A convergence test counts epochs without improvement only from then on.
    /// </summary>
    public virtual bool IsAtFloor => true;

    /// <summary>Writes the schedule's mutable state (nothing for stateless schedules) to <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    public virtual void SaveState(Stream stream) => ArgumentNullException.ThrowIfNull(stream);

    /// <summary>Restores mutable state written by <see cref="SaveState"/> of a schedule with the same configuration.</summary>
    /// <param name="stream">A readable stream positioned where <see cref="SaveState"/> wrote; it is not closed.</param>
    /// <exception cref="InvalidDataException">The data is not a state of this schedule, or is corrupted.</exception>
    public virtual void LoadState(Stream stream) => ArgumentNullException.ThrowIfNull(stream);

    /// <summary>Throws when <paramref name="step"/> is negative.</summary>
    /// <param name="step">The step passed to <see cref="GetLearningRate"/>.</param>
    protected static void CheckStep(long step) => ArgumentOutOfRangeException.ThrowIfNegative(step);
}
