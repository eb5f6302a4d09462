using System.Diagnostics;

namespace MLNet.Adam.Compare.Evaluation;

/// <summary>
/// Measures one fit: wall time; managed bytes allocated by all threads (<see cref="GC.GetTotalAllocatedBytes(bool)"/>
/// delta); and peak memory as the highest process working set sampled every 5 ms during the fit minus the working
/// set just before it (after a full collection, so garbage of earlier fits does not count).
/// </summary>
internal static class FitMeter
{
    public const string Description =
        "peak memory = highest process working set sampled every 5 ms during Fit minus the working set just before Fit (after a full GC); " +
        "allocated = managed bytes allocated by all threads during Fit (GC.GetTotalAllocatedBytes)";

    public static (T Result, double Seconds, long AllocatedBytes, long PeakDeltaBytes) Measure<T>(Func<T> fit)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long baseline = Environment.WorkingSet;
        long peak = baseline;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            do
            {
                long current = Environment.WorkingSet;
                if (current > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, current);
                }
            }
            while (!done.Wait(5));
        }) { IsBackground = true, Name = "working-set sampler" };

        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        sampler.Start();
        var watch = Stopwatch.StartNew();
        T result;
        try
        {
            result = fit();
        }
        finally
        {
            watch.Stop();
            done.Set();
            sampler.Join();
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long final = Environment.WorkingSet;
        long highest = Math.Max(Interlocked.Read(ref peak), final);
        return (result, watch.Elapsed.TotalSeconds, allocated, Math.Max(0, highest - baseline));
    }
}
