using System.Globalization;

namespace MLNet.Adam.Compare.Data;

/// <summary>How --label and --ignore-cols name a column: as the ML.NET CLI, by name or by zero-based position.</summary>
internal static class ColumnNames
{
    /// <summary>A column by exact name, then by name ignoring case, then by zero-based position; -1 when none matches.</summary>
    public static int Resolve(IReadOnlyList<string> header, string name)
    {
        int index = IndexOf(header, name, StringComparison.Ordinal);
        index = index >= 0 ? index : IndexOf(header, name, StringComparison.OrdinalIgnoreCase);
        if (index < 0 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position < header.Count)
        {
            index = position;
        }

        return index;
    }

    private static int IndexOf(IReadOnlyList<string> header, string name, StringComparison comparison)
    {
        for (int i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, comparison))
            {
                return i;
            }
        }

        return -1;
    }
}
