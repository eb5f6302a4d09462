using System.Text;

namespace MLNet.Adam.Compare.Data;

/// <summary>One data row of a delimited file: its 1-based line number, its fields, and whether a field had illegal quoting.</summary>
internal sealed record DelimitedRow(int Line, IReadOnlyList<string> Fields, bool QuotingError);

/// <summary>How to read a delimited text file; null members are detected from the file.</summary>
/// <param name="Separator">The field separator, or null to detect it from the first line.</param>
/// <param name="HasHeader">Whether the first line that is not a comment names the columns; without one they are named col0, col1, ...</param>
internal sealed record TextFormat(char? Separator, bool HasHeader);

/// <summary>
/// Line-level reading of CSV/TSV files by the rules of ML.NET's <c>TextLoader</c> (with quoting allowed and no multi-line
/// fields), so that what is checked and profiled here is what <c>TextLoader</c> then loads: empty lines and lines starting
/// with <c>//</c> are skipped everywhere (a line of whitespace only, which TextLoader reads as a row, is refused);
/// lines starting with <c>#</c> only before the first row (the header, if any);
/// spaces before a field are skipped; a field whose first character is a double quote is quoted (a doubled quote
/// inside is one quote). A closing quote followed by anything but spaces and the separator, or a quote that is never
/// closed, is illegal quoting: <c>TextLoader</c> reads that field as empty (and, for an unclosed quote, the rest of the
/// line with it), logs "Illegal quoting" and goes on; so does this reader, flagging the row. Rows are read one at a time.
/// </summary>
internal static class DelimitedFile
{
    /// <summary>Names of separators accepted by --separator besides a single character (those of ML.NET's TextLoader and CLI).</summary>
    public static readonly IReadOnlyDictionary<string, char> SeparatorNames = new Dictionary<string, char>(StringComparer.OrdinalIgnoreCase)
    {
        ["tab"] = '\t',
        ["\\t"] = '\t',
        ["comma"] = ',',
        ["semicolon"] = ';',
        ["space"] = ' ',
        ["pipe"] = '|',
        ["bar"] = '|',
        ["colon"] = ':',
    };

    /// <summary>What reading the lines before the first row found.</summary>
    /// <param name="Header">Column names: the header row, or col0, col1, ... without one.</param>
    /// <param name="Separator">The separator used.</param>
    /// <param name="HeaderLine">1-based line of the header row, or 0 without one.</param>
    /// <param name="CommentLines">Lines skipped as comments (starting with // or #) before the first row.</param>
    /// <param name="HasEmbeddedSchema">Whether a comment line before the first row starts with #@ (ML.NET's embedded TextLoader schema).</param>
    internal sealed record Preamble(IReadOnlyList<string> Header, char Separator, int HeaderLine, int CommentLines, bool HasEmbeddedSchema);

    /// <summary>
    /// Tab for .tsv files or a first line containing a tab; otherwise semicolon when the line has semicolons and its commas
    /// (if any) are all decimal commas of numbers between the semicolons; otherwise comma.
    /// </summary>
    public static char DetectSeparator(string path, string firstLine)
    {
        if (path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || firstLine.Contains('\t'))
        {
            return '\t';
        }

        return firstLine.Contains(';') &&
            firstLine.Split(';').Where(f => f.Contains(',')).All(f => Featurization.ColumnProfile.IsNumber(f.Trim().Trim('"'), ','))
            ? ';'
            : ',';
    }

    /// <summary>Whether <paramref name="line"/> is a comment everywhere in a file (TextLoader skips it before and after the header).</summary>
    public static bool IsComment(string line) => line.StartsWith("//", StringComparison.Ordinal);

    /// <summary>Whether TextLoader skips <paramref name="line"/> before the first row: empty, or starting with // or #.</summary>
    public static bool IsLeadingComment(string line) => line.StartsWith('#') || IsComment(line);

    /// <summary>
    /// Splits one line into <paramref name="fields"/> as TextLoader does; returns false when a field has illegal quoting
    /// (that field is then empty and, for a quote that is never closed, it is the last field of the line).
    /// </summary>
    public static bool TrySplit(string line, char separator, List<string> fields)
    {
        fields.Clear();
        bool legal = true;
        var quoted = new StringBuilder();
        int i = 0;
        while (true)
        {
            if (separator != ' ')
            {
                while (i < line.Length && line[i] == ' ')
                {
                    i++;
                }
            }

            if (i < line.Length && line[i] == '"')
            {
                bool error = false;
                quoted.Clear();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = true;
                        break;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            quoted.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    quoted.Append(line[i++]);
                }

                // After the closing quote only spaces may come before the separator.
                for (; i < line.Length && line[i] != separator; i++)
                {
                    if (line[i] != ' ')
                    {
                        error = true;
                    }
                }

                fields.Add(error ? string.Empty : quoted.ToString());
                legal &= !error;
            }
            else
            {
                int end = line.IndexOf(separator, i);
                end = end < 0 ? line.Length : end;
                fields.Add(line[i..end]);
                i = end;
            }

            if (i >= line.Length)
            {
                return legal;
            }

            i++; // the separator
        }
    }

    /// <summary>
    /// The column names (calling <paramref name="onPreamble"/> before the first row) and every data row with its 1-based
    /// line number; throws <see cref="UserInputException"/> for rows that cannot be read.
    /// </summary>
    public static IEnumerable<DelimitedRow> ReadRows(string path, TextFormat format, Action<Preamble> onPreamble) =>
        ReadRows(path, format, onPreamble, new ReadCounts());

    /// <summary>As <see cref="ReadRows(string, TextFormat, Action{Preamble})"/>, counting the comment lines skipped anywhere into <paramref name="counts"/>.</summary>
    public static IEnumerable<DelimitedRow> ReadRows(string path, TextFormat format, Action<Preamble> onPreamble, ReadCounts counts)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? line;
        int lineNumber = 0, comments = 0;
        bool embeddedSchema = false;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            CheckNotBlank(path, line, lineNumber, beforeHeader: true);
            if (!IsLeadingComment(line))
            {
                break;
            }

            comments++;
            counts.CommentLines++;
            embeddedSchema |= line.StartsWith("#@", StringComparison.Ordinal);
        }

        if (embeddedSchema)
        {
            // The caller loads such a file with TextLoader's own reading of the schema; there is nothing to split here.
            onPreamble(new Preamble([], '\t', 0, comments, HasEmbeddedSchema: true));
            yield break;
        }

        if (line is null)
        {
            throw new UserInputException(comments == 0
                ? $"The file '{path}' is empty: expected a header row and data rows."
                : $"The file '{path}' has only comment lines ({comments}, starting with // or #): expected a header row and data rows.");
        }

        var file = Path.GetFileName(path);
        char separator = format.Separator ?? DetectSeparator(path, line);
        var fields = new List<string>();
        bool legal = TrySplit(line.TrimEnd(), separator, fields);
        IReadOnlyList<string> header;
        int headerLine = 0;
        if (format.HasHeader)
        {
            if (!legal)
            {
                throw new UserInputException($"{file}, line {lineNumber}: the header has illegal quoting (a quote that is not closed, or text after a closing quote).");
            }

            header = [.. fields.Select(h => h.Trim())];
            headerLine = lineNumber;
        }
        else
        {
            header = [.. Enumerable.Range(0, fields.Count).Select(PositionalName)];
        }

        onPreamble(new Preamble(header, separator, headerLine, comments, HasEmbeddedSchema: false));
        if (!format.HasHeader)
        {
            yield return new DelimitedRow(lineNumber, fields, !legal);
        }

        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            CheckNotBlank(path, line, lineNumber, beforeHeader: false);
            if (IsComment(line))
            {
                counts.CommentLines++;
                continue;
            }

            legal = TrySplit(line.TrimEnd(), separator, fields);
            if (legal && fields.Count < header.Count && line.Length != line.TrimEnd().Length)
            {
                // Trailing whitespace held separators (tabs) of empty last fields: TextLoader trims it away and reads
                // those fields as missing, so they count, but their values are what remains after the trim.
                var untrimmed = new List<string>();
                TrySplit(line, separator, untrimmed);
                if (untrimmed.Count == header.Count)
                {
                    fields.AddRange(Enumerable.Repeat(string.Empty, header.Count - fields.Count));
                }
            }

            if (!legal && fields.Count < header.Count)
            {
                // As TextLoader does: the fields after an unclosed quote are missing.
                fields.AddRange(Enumerable.Repeat(string.Empty, header.Count - fields.Count));
            }

            if (fields.Count != header.Count)
            {
                throw new UserInputException(
                    $"{file}, line {lineNumber}: unreadable row: expected {header.Count} fields ({(format.HasHeader ? "as in the header" : "as in the first row")}), found {fields.Count}." +
                    (format.Separator is null ? $" The separator was detected as {Describe(separator)}; choose another with --separator." : string.Empty));
            }

            yield return new DelimitedRow(lineNumber, fields, !legal);
        }
    }

    /// <summary>
    /// TextLoader skips only empty lines: one holding nothing but whitespace is a row of empty fields to it (before the
    /// first row: the header, so the real header would become a data row). Rather than disagree with it, such lines are refused.
    /// </summary>
    private static void CheckNotBlank(string path, string line, int lineNumber, bool beforeHeader)
    {
        if (line.Trim().Length == 0)
        {
            throw new UserInputException(
                $"{Path.GetFileName(path)}, line {lineNumber}: the line holds only whitespace, which ML.NET's TextLoader reads as " +
                (beforeHeader ? "the first row (the header)" : "a row of empty fields") + "; make it empty or remove it.");
        }
    }

    /// <summary>What reading a file counted as it went.</summary>
    internal sealed class ReadCounts
    {
        /// <summary>Lines skipped as comments: // anywhere, # before the first row.</summary>
        public int CommentLines { get; set; }
    }

    /// <summary>The name of column <paramref name="index"/> of a file without a header (as ML.NET's column inference names them).</summary>
    public static string PositionalName(int index) => $"col{index}";

    /// <summary>A separator as the user would write it.</summary>
    public static string Describe(char separator) => separator switch
    {
        '\t' => "tab",
        ' ' => "space",
        _ => $"'{separator}'",
    };
}
