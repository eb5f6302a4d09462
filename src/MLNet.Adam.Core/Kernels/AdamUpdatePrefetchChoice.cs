namespace MLNet.Adam.Kernels;

/// <summary>
/// Decides, for one update kernel instance, whether its loops issue software prefetches, from timings of its own
/// calls. Whether prefetching pays depends on where the vectors live when the step runs, which the kernel cannot
/// know in advance: measured on the development machine (Zen 5 class, 1 MiB L2 per core, 32 MiB L3 shared with other
/// virtual machines), it made 1e5 to 1e6-parameter steps about 10% slower while they stayed in L3 and up to 25% faster
/// when other processes pushed them out to memory, and the two situations alternated within minutes.
/// </summary>
/// <remarks>
/// Each variant keeps its last <see cref="Window"/> costs (time per parameter) and is judged by their minimum, which
/// ignores calls slowed by descheduling. The current variant is kept until the other one's best is faster by more
/// than <see cref="SwitchMargin"/> (timing noise alone does not flip the choice). Every
/// <see cref="ProbeInterval"/>-th call runs the other variant, so a change of conditions is noticed within a few dozen
/// steps while the slower variant costs at most one call in <see cref="ProbeInterval"/>. The choice never changes results: both variants compute the same values.
/// Calls from several threads at once stay correct; they only share (unsynchronized) timing statistics.
/// </remarks>
internal sealed class AdamUpdatePrefetchChoice
{
    /// <summary>Below this many parameters (four 128 KiB arrays, L2-resident) the loops never prefetch.</summary>
    public const nuint MinimumLength = 1 << 15;

    /// <summary>One call in this many runs the variant currently judged slower.</summary>
    public const int ProbeInterval = 32;

    /// <summary>How much faster (as a fraction) the other variant must be before the choice changes.</summary>
    public const double SwitchMargin = 0.02;

    /// <summary>Timings kept per variant.</summary>
    public const int Window = 4;

    private readonly double[] _withPrefetch = NewWindow();
    private readonly double[] _withoutPrefetch = NewWindow();
    private int _calls;
    private bool _current = true;
    private int _nextWith;
    private int _nextWithout;

    /// <summary>Whether the next step over <paramref name="length"/> parameters should prefetch.</summary>
    public bool Choose(nuint length)
    {
        if (length < MinimumLength)
        {
            return false;
        }

        int call = _calls++;
        double with = Best(_withPrefetch);
        double without = Best(_withoutPrefetch);

        // Unmeasured variants go first (infinity sorts last, so test them explicitly).
        if (double.IsPositiveInfinity(with))
        {
            return true;
        }

        if (double.IsPositiveInfinity(without))
        {
            return false;
        }

        double current = _current ? with : without;
        double other = _current ? without : with;
        if (other < current * (1 - SwitchMargin))
        {
            _current = !_current;
        }

        return call % ProbeInterval == ProbeInterval - 1 ? !_current : _current;
    }

    /// <summary>Records how long a step over <paramref name="length"/> parameters took with the given choice.</summary>
    public void Record(bool prefetch, nuint length, long elapsedTicks)
    {
        if (length < MinimumLength)
        {
            return;
        }

        double cost = (double)elapsedTicks / length;
        if (prefetch)
        {
            _withPrefetch[_nextWith] = cost;
            _nextWith = (_nextWith + 1) % Window;
        }
        else
        {
            _withoutPrefetch[_nextWithout] = cost;
            _nextWithout = (_nextWithout + 1) % Window;
        }
    }

    private static double[] NewWindow()
    {
        var window = new double[Window];
        Array.Fill(window, double.PositiveInfinity);
        return window;
    }

    private static double Best(double[] window)
    {
        double best = double.PositiveInfinity;
        foreach (double cost in window)
        {
            best = Math.Min(best, cost);
        }

        return best;
    }
}
