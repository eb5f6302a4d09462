using System.Globalization;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// What the user should know about how a text file was read, printed at the start and written to the report: illegal
/// quoting, numbers written with the other decimal marker, identifier columns.
/// </summary>
internal static class ReadingWarnings
{
    /// <summary>The warnings about a scanned file, in the order the user should read them.</summary>
    public static List<string> For(
        string file, IReadOnlyList<ColumnProfile> profiles, IReadOnlyList<ColumnDecision> decisions, char marker, IReadOnlyList<int> quotingErrors, long quotingErrorCount, long rows)
    {
        var warnings = new List<string>();
        if (quotingErrorCount > 0)
        {
            var lines = string.Join(", ", quotingErrors) + (quotingErrorCount > quotingErrors.Count ? ", ..." : string.Empty);
            warnings.Add(
                $"{file}: illegal quoting on {quotingErrorCount} row(s) (line {lines}): a quote that is not closed, or text after a closing quote. " +
                "As ML.NET's TextLoader does, that field (and, for a quote never closed, the rest of its line) is read as empty and the row is kept.");
        }

        foreach (var profile in profiles.Where(p => p.NumbersButForDecimalMarker))
        {
            var other = marker == '.' ? ',' : '.';
            warnings.Add(
                $"column '{profile.Name}' holds numbers written with '{other}' as decimal marker (such as '{profile.OtherMarkerExample}') and is read as " +
                $"strings; add --decimal-marker {other} to read it as numbers.");
        }

        var kinds = decisions.ToDictionary(d => d.Name, d => d.Kind);
        foreach (var profile in profiles.Where(p => p.LooksLikeIdentifier && kinds[p.Name] != ColumnKind.Ignored))
        {
            var scope = rows > ColumnProfile.UniqueTrackingLimit
                ? $"in each of the first {ColumnProfile.UniqueTrackingLimit.ToString("N0", CultureInfo.InvariantCulture)} rows"
                : $"in every row ({rows} rows)";
            warnings.Add(
                $"column '{profile.Name}' has a distinct value {scope}: it looks like an identifier, which a model cannot learn from " +
                $"but can overfit to; drop it with --ignore-cols {Quote(profile.Name)}.");
        }

        return warnings;
    }

    private static string Quote(string name) => name.Contains(' ', StringComparison.Ordinal) || name.Contains(',', StringComparison.Ordinal) ? $"\"{name}\"" : name;
}
