using System.Globalization;

namespace MLNet.Adam.Tests.Reliability.Fuzz;

/// <summary>
/// Which seeds a fuzz test runs. CI runs a fixed set; <c>MLNET_ADAM_FUZZ_CASES</c> (count) and
/// <c>MLNET_ADAM_FUZZ_SEED</c> (first seed) choose another, for a longer run or to replay one failing seed.
/// </summary>
public static class FuzzSettings
{
    public static IEnumerable<int> Seeds(int defaultFirst, int defaultCount)
    {
        int first = Read("MLNET_ADAM_FUZZ_SEED") ?? defaultFirst;
        int count = Read("MLNET_ADAM_FUZZ_CASES") ?? defaultCount;
        return Enumerable.Range(first, count);
    }

    /// <summary>Runs the cases and returns a report of every violation, one paragraph per failing seed.</summary>
    public static string Report(IEnumerable<int> seeds, FuzzScope scope, out int cases, out int failing, out string outcomes)
    {
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var report = new System.Text.StringBuilder();
        cases = 0;
        failing = 0;
        foreach (int seed in seeds)
        {
            var c = FuzzCase.Draw(seed, scope);
            cases++;
            var violations = FuzzRunner.Run(c, out string outcome);
            tally[outcome] = tally.GetValueOrDefault(outcome) + 1;
            if (violations.Count > 0)
            {
                failing++;
                report.AppendLine(c.Description);
                foreach (var v in violations)
                {
                    report.Append("  - ").AppendLine(v);
                }
            }
        }

        outcomes = string.Join("\n", tally.OrderByDescending(p => p.Value).Select(p => $"{p.Value,5}  {p.Key}"));
        return report.ToString();
    }

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
}
