using System.Text;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// Line-level reading of CSV/TSV files with a header row: separator detection, quoted fields (doubled quotes inside;
/// no line breaks inside fields) and line numbers for error messages. Reads rows one at a time.
/// </summary>
internal static class DelimitedFile
{
    /// <summary>Tab for .tsv files or headers containing a tab; otherwise semicolon when the header has semicolons but no commas; otherwise comma.</summary>
    public static char DetectSeparator(string path, string headerLine)
    {
        if (path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || headerLine.Contains('\t'))
        {
            return '\t';
        }

        return headerLine.Contains(';') && !headerLine.Contains(',') ? ';' : ',';
    }

    /// <summary>Splits one line into <paramref name="fields"/>; false when a quote is not closed.</summary>
    public static bool TrySplit(string line, char separator, List<string> fields)
    {
        fields.Clear();
        var field = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.ToString().Trim().Length == 0 && !wasQuoted)
            {
                field.Clear();
                quoted = wasQuoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return !quoted;
    }

    /// <summary>The header and every non-blank data row with its 1-based line number; throws <see cref="UserInputException"/> for unreadable rows.</summary>
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> ReadRows(string path, Action<IReadOnlyList<string>, char> onHeader)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? line;
        int lineNumber = 0;
        do
        {
            line = reader.ReadLine();
            lineNumber++;
        }
        while (line is not null && line.Trim().Length == 0);

        if (line is null)
        {
            throw new UserInputException($"The file '{path}' is empty: expected a header row and data rows.");
        }

        char separator = DetectSeparator(path, line);
        var header = new List<string>();
        if (!TrySplit(line, separator, header))
        {
            throw new UserInputException($"{Path.GetFileName(path)}, line {lineNumber}: the header has an unclosed quote.");
        }

        onHeader([.. header.Select(h => h.Trim())], separator);
        var fields = new List<string>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (!TrySplit(line, separator, fields))
            {
                throw new UserInputException($"{Path.GetFileName(path)}, line {lineNumber}: unreadable row (a quote is not closed).");
            }

            if (fields.Count != header.Count)
            {
                throw new UserInputException(
                    $"{Path.GetFileName(path)}, line {lineNumber}: unreadable row: expected {header.Count} fields (as in the header), found {fields.Count}.");
            }

            yield return (lineNumber, fields);
        }
    }
}
