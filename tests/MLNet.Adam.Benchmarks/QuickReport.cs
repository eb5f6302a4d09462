using System.Diagnostics;
using System.Globalization;

namespace MLNet.Adam.Benchmarks;

/// <summary>Collects and prints `name: value` lines of the quick harness.</summary>
public sealed class QuickReport
{
    /// <summary>Prints one result line.</summary>
    public void Add(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:G4}"));

    /// <summary>Prints an informational line (not a result).</summary>
    public void Note(string text) => Console.WriteLine("# " + text);

    /// <summary>
    /// Best-of-<paramref name="repeats"/> time in nanoseconds per call of <paramref name="action"/>, each repeat
    /// running it enough times to last about <paramref name="targetMilliseconds"/>. Best-of is used because the
    /// machines are shared: noise only ever adds time.
    /// </summary>
    public static double MeasureNanoseconds(Action action, int repeats = 7, double targetMilliseconds = 60)
    {
        action();
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (sw.Elapsed.TotalMilliseconds < 5)
        {
            action();
            calls++;
        }

        int perRepeat = Math.Max(1, (int)(calls * targetMilliseconds / Math.Max(sw.Elapsed.TotalMilliseconds, 1e-3)));
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            sw.Restart();
            for (int i = 0; i < perRepeat; i++)
            {
                action();
            }

            best = Math.Min(best, sw.Elapsed.TotalNanoseconds / perRepeat);
        }

        return best;
    }
}
