using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>The state of a <see cref="ConvergenceMonitor"/> carried across a checkpoint.</summary>
internal sealed record MonitorState(double Best, int? BestEpoch, int NonImproving, float[]? BestParameters);

/// <summary>
/// The one controller of a run's feedback: each monitored loss goes to the learning-rate schedule (a plateau schedule
/// lowers its rate) and to the stopping rule, which stops after <c>patience</c> consecutive checks whose loss did not
/// improve on the best by the relative tolerance, counted only once the schedule is at its floor
/// (<see cref="LearningRateSchedule.IsAtFloor"/>). Optionally keeps a copy of the best parameters (early stopping on
/// validation loss).
/// </summary>
internal sealed class ConvergenceMonitor
{
    private readonly LearningRateSchedule _schedule;
    private readonly double _tolerance;
    private readonly int _patience;
    private readonly bool _keepBest;

    public ConvergenceMonitor(LearningRateSchedule schedule, double tolerance, int patience, bool keepBest)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        _schedule = schedule;
        _tolerance = tolerance;
        _patience = patience;
        _keepBest = keepBest;
    }

    public double Best { get; private set; } = double.PositiveInfinity;

    public int? BestEpoch { get; private set; }

    public int NonImproving { get; private set; }

    public float[]? BestParameters { get; private set; }

    /// <summary>The state to save in a checkpoint (the best parameters are copied).</summary>
    public MonitorState State => new(Best, BestEpoch, NonImproving, (float[]?)BestParameters?.Clone());

    /// <summary>Reports a check's monitored loss to the schedule and the stopping rule; returns true when training should stop.</summary>
    public bool Observe(double monitored, float[] parameters, int epoch)
    {
        _schedule.ReportMetric(monitored);
        bool improved = monitored < Best - (_tolerance * Math.Abs(Best));
        if (double.IsPositiveInfinity(Best) || improved)
        {
            NonImproving = 0;
        }
        else if (_schedule.IsAtFloor)
        {
            NonImproving++;
        }

        if (monitored < Best)
        {
            Best = monitored;
            BestEpoch = epoch;
            if (_keepBest)
            {
                BestParameters = (float[])parameters.Clone();
            }
        }

        return NonImproving >= _patience;
    }

    /// <summary>Restores the state of an earlier run (resumable training).</summary>
    public void Restore(MonitorState state)
    {
        Best = state.Best;
        BestEpoch = state.BestEpoch;
        NonImproving = state.NonImproving;
        BestParameters = _keepBest ? state.BestParameters : null;
    }
}
