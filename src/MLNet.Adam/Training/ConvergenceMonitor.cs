namespace MLNet.Adam.Training;

/// <summary>
/// Decides when training stops: after <c>patience</c> consecutive epochs whose monitored loss did not improve on the
/// best by the relative tolerance, counted only while the learning rate is at its floor (a plateau schedule first
/// lowers the rate). Optionally keeps a copy of the best parameters (early stopping on validation loss).
/// </summary>
internal sealed class ConvergenceMonitor
{
    private readonly double _tolerance;
    private readonly int _patience;
    private readonly bool _keepBest;

    public ConvergenceMonitor(double tolerance, int patience, bool keepBest)
    {
        _tolerance = tolerance;
        _patience = patience;
        _keepBest = keepBest;
    }

    public double Best { get; private set; } = double.PositiveInfinity;

    public int? BestEpoch { get; private set; }

    public int NonImproving { get; private set; }

    public float[]? BestParameters { get; private set; }

    /// <summary>Records an epoch; returns true when training should stop.</summary>
    public bool Observe(double monitored, float[] parameters, int epoch, bool learningRateAtFloor)
    {
        bool improved = monitored < Best - (_tolerance * Math.Abs(Best));
        if (double.IsPositiveInfinity(Best) || improved)
        {
            NonImproving = 0;
        }
        else if (learningRateAtFloor)
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
    public void Restore(double best, int? bestEpoch, int nonImproving, float[]? bestParameters)
    {
        Best = best;
        BestEpoch = bestEpoch;
        NonImproving = nonImproving;
        BestParameters = _keepBest ? bestParameters : null;
    }
}
