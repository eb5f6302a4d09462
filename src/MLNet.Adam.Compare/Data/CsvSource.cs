using CultureInfo = System.Globalization.CultureInfo;
using NumberStyles = System.Globalization.NumberStyles;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// Loads a CSV/TSV file: one streaming pass reads every row by <c>TextLoader</c>'s rules (<see cref="DelimitedFile"/>),
/// checks it (line numbers in errors) and profiles the columns; ML.NET's <c>TextLoader</c> then reads the file with the
/// inferred types (numbers as Single, empty numbers as NaN, the rest as text) and the same separator, header, quoting
/// and decimal marker. A file whose comment lines start with <c>#@ TextLoader{</c> carries its own schema, which
/// <c>TextLoader</c> reads itself (<see cref="IdvSource.LoadEmbeddedSchema"/>).
/// </summary>
internal static class CsvSource
{
    /// <summary>Line numbers listed in a warning before "...".</summary>
    private const int LinesShown = 5;

    public static LoadedData Load(MLContext context, CompareOptions options)
    {
        var path = options.DataFile!;
        var scan = Scan(path, options, expectedHeader: null);
        if (scan.HasEmbeddedSchema)
        {
            return IdvSource.LoadEmbeddedSchema(context, options, scan.CommentLines);
        }

        var label = LabelPlan.Create(
            scan.Header[scan.LabelIndex], scan.Label.Distinct, scan.Label.DistinctOverflow, options.Task, positiveClass: options.PositiveClass, numeric: scan.Label.AllNumeric);
        var features = new FeaturizationPlan([.. scan.Decisions]);
        var loader = context.Data.CreateTextLoader(LoaderOptions(scan, features, options));

        IDataView? test = null;
        var source = $"{Path.GetFileName(path)} ({Describe(scan)})";
        var warnings = new List<string>(scan.Warnings);
        if (options.TestFile is { } testPath)
        {
            var testScan = Scan(testPath, options, expectedHeader: scan.Header);
            var unseen = testScan.Label.Distinct.Except(label.Classes).ToList();
            if (unseen.Count > 0 && !testScan.Label.DistinctOverflow)
            {
                throw new UserInputException(
                    $"The test file '{Path.GetFileName(testPath)}' has label values not in the training data: {string.Join(", ", unseen.Take(10))}.");
            }

            test = loader.Load(testPath);
            source += $", test file {Path.GetFileName(testPath)} ({testScan.Rows} rows)";
            warnings.AddRange(testScan.Warnings.Where(w => w.StartsWith(Path.GetFileName(testPath), StringComparison.Ordinal)));
        }

        return new LoadedData(loader.Load(path), test, label, features, source) { Warnings = warnings };
    }

    /// <summary>Scans with the default reading options and <paramref name="labelColumn"/> as label.</summary>
    public static ScanResult Scan(string path, string labelColumn, IReadOnlyList<string>? expectedHeader) =>
        Scan(path, new CompareOptions { LabelColumn = labelColumn }, expectedHeader);

    /// <summary>The columns, separator, row count and column profiles of a file; every row is checked.</summary>
    public static ScanResult Scan(string path, CompareOptions options, IReadOnlyList<string>? expectedHeader)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"The data file '{path}' does not exist.");
        }

        var file = Path.GetFileName(path);
        char marker = options.DecimalMarker ?? '.';
        DelimitedFile.Preamble preamble = null!;
        int labelIndex = -1;
        ColumnProfile label = null!;
        var profiles = new List<ColumnProfile>();
        var ignored = new HashSet<int>();
        var quotingErrors = new List<int>();
        long quotingErrorCount = 0, rows = 0;
        var format = new TextFormat(options.Separator, options.HasHeader ?? true);
        var counts = new DelimitedFile.ReadCounts();
        foreach (var row in DelimitedFile.ReadRows(path, format, p => preamble = p, counts))
        {
            if (rows == 0)
            {
                CheckHeaderIsNotData(file, preamble, options);
                labelIndex = FindLabel(path, preamble.Header, options.LabelColumn, expectedHeader);
                ignored = IgnoredColumns(file, preamble.Header, options.IgnoreColumns, labelIndex);
                label = new ColumnProfile(preamble.Header[labelIndex], labelIndex, LabelPlan.MaxClasses, marker);
                profiles.AddRange(preamble.Header.Select((name, i) => new ColumnProfile(name, i, decimalMarker: marker))
                    .Where(p => p.Index != labelIndex && !ignored.Contains(p.Index)));
            }

            if (row.QuotingError)
            {
                quotingErrorCount++;
                if (quotingErrors.Count < LinesShown)
                {
                    quotingErrors.Add(row.Line);
                }
            }

            if (ColumnProfile.IsMissingToken(row.Fields[labelIndex].Trim()))
            {
                throw new UserInputException(
                    $"{file}, line {row.Line}: the label '{preamble.Header[labelIndex]}' is empty; remove rows without a label." +
                    (row.QuotingError ? " The row has illegal quoting (a quote that is not closed, or text after a closing quote), which TextLoader reads as empty fields." : string.Empty));
            }

            label.Add(row.Fields[labelIndex], row.Line);
            foreach (var profile in profiles)
            {
                profile.Add(row.Fields[profile.Index], row.Line);
            }

            rows++;
        }

        if (preamble.HasEmbeddedSchema)
        {
            return new ScanResult([], '\t', -1, null!, [], [], 0, preamble.CommentLines, false, [], HasEmbeddedSchema: true);
        }

        if (rows == 0)
        {
            FindLabel(path, preamble.Header, options.LabelColumn, expectedHeader);
            throw new UserInputException($"The file '{path}' has a header but no data rows.");
        }

        var broken = profiles.FirstOrDefault(p => p.LooksLikeBrokenNumbers);
        if (broken?.FirstNonNumeric is { } bad)
        {
            var hint = broken.OtherMarkerExample is not null
                ? $" It is a number with --decimal-marker {(marker == '.' ? ',' : '.')}."
                : " Fix it, or leave it empty (empty, ?, NA and NaN count as missing).";
            throw new UserInputException(
                $"{file}, line {bad.Line}: unreadable value '{bad.Value}' in column '{broken.Name}', whose other values are numbers.{hint}");
        }

        var decisions = preamble.Header.Select((name, i) =>
                i == labelIndex ? null
                : ignored.Contains(i) ? new ColumnDecision(name, ColumnKind.Ignored, "--ignore-cols")
                : FeaturizationPlan.Decide(profiles.First(p => p.Index == i)))
            .OfType<ColumnDecision>().ToList();
        var warnings = ReadingWarnings.For(file, profiles, decisions, marker, quotingErrors, quotingErrorCount, rows);
        return new ScanResult(
            preamble.Header, preamble.Separator, labelIndex, label, profiles, decisions, rows, counts.CommentLines, preamble.HeaderLine > 0, warnings, HasEmbeddedSchema: false);
    }

    private static string Describe(ScanResult scan)
    {
        var parts = new List<string> { $"{scan.Rows} rows", $"{scan.Header.Count} columns", $"separator {DelimitedFile.Describe(scan.Separator)}" };
        if (!scan.HasHeaderRow)
        {
            parts.Add($"no header: columns named {DelimitedFile.PositionalName(0)}..{DelimitedFile.PositionalName(scan.Header.Count - 1)}");
        }

        if (scan.CommentLines > 0)
        {
            parts.Add($"{scan.CommentLines} comment line(s) skipped");
        }

        return string.Join(", ", parts);
    }

    /// <summary>
    /// Without --has-header, a first row most of whose fields are numbers is data, not a header (iris.data): using it as
    /// names would lose a row and name the columns after its values, so the tool asks.
    /// </summary>
    private static void CheckHeaderIsNotData(string file, DelimitedFile.Preamble preamble, CompareOptions options)
    {
        if (options.HasHeader is not null || preamble.HeaderLine == 0)
        {
            return;
        }

        var numbers = preamble.Header.Where(h => ColumnProfile.IsNumber(h, options.DecimalMarker ?? '.')).ToList();
        if (numbers.Count > 0 && numbers.Count * 2 >= preamble.Header.Count)
        {
            throw new UserInputException(
                $"{file}, line {preamble.HeaderLine}: the first row looks like data, not a header ({numbers.Count} of its {preamble.Header.Count} fields are numbers: " +
                $"{string.Join(", ", numbers.Take(5))}). If the file has no header, add --has-header false (columns are then named " +
                $"{DelimitedFile.PositionalName(0)}..{DelimitedFile.PositionalName(preamble.Header.Count - 1)}, e.g. --label {DelimitedFile.PositionalName(preamble.Header.Count - 1)}); " +
                "if it is the header, add --has-header true.");
        }
    }

    private static int FindLabel(string path, IReadOnlyList<string> header, string labelColumn, IReadOnlyList<string>? expectedHeader)
    {
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UserInputException($"The file '{Path.GetFileName(path)}' has the column '{duplicate.Key}' twice in its header.");
        }

        if (expectedHeader is not null && !expectedHeader.SequenceEqual(header, StringComparer.Ordinal))
        {
            throw new UserInputException(
                $"The test file '{Path.GetFileName(path)}' must have the same columns as the data file. Test columns: {string.Join(", ", header)}; data columns: {string.Join(", ", expectedHeader)}.");
        }

        int index = ColumnNames.Resolve(header, labelColumn);
        if (index < 0)
        {
            throw new UserInputException(
                $"The label column '{labelColumn}' is not in '{Path.GetFileName(path)}'. Columns: {string.Join(", ", header)}. Choose one with --label NAME (or its zero-based position).");
        }

        return index;
    }

    private static HashSet<int> IgnoredColumns(string file, IReadOnlyList<string> header, IReadOnlyList<string> names, int labelIndex)
    {
        var ignored = new HashSet<int>();
        foreach (var name in names)
        {
            int index = ColumnNames.Resolve(header, name);
            if (index < 0)
            {
                throw new UserInputException($"--ignore-cols: the column '{name}' is not in '{file}'. Columns: {string.Join(", ", header)}.");
            }

            if (index == labelIndex)
            {
                throw new UserInputException($"--ignore-cols names the label column '{header[index]}'; the label is never a feature.");
            }

            ignored.Add(index);
        }

        return ignored;
    }

    private static TextLoader.Options LoaderOptions(ScanResult scan, FeaturizationPlan features, CompareOptions options)
    {
        var kinds = features.Columns.ToDictionary(c => c.Name, c => c.Kind);
        var columns = new List<TextLoader.Column> { new(scan.Header[scan.LabelIndex], DataKind.String, scan.LabelIndex) };
        for (int i = 0; i < scan.Header.Count; i++)
        {
            if (i != scan.LabelIndex && kinds[scan.Header[i]] is var kind && kind != ColumnKind.Ignored)
            {
                columns.Add(new(scan.Header[i], kind == ColumnKind.Numeric ? DataKind.Single : DataKind.String, i));
            }
        }

        return new TextLoader.Options
        {
            Columns = [.. columns],
            Separators = [scan.Separator],
            HasHeader = scan.HasHeaderRow,
            AllowQuoting = true,
            TrimWhitespace = true,
            DecimalMarker = options.DecimalMarker ?? '.',

            // TextLoader's default reads an empty number as 0; as NaN it is replaced by the column mean like other missing values.
            MissingRealsAsNaNs = true,
        };
    }

    /// <summary>What a scan found.</summary>
    /// <param name="Header">Column names (positional without a header row).</param>
    /// <param name="Separator">The separator used.</param>
    /// <param name="LabelIndex">Position of the label column.</param>
    /// <param name="Label">The label's profile.</param>
    /// <param name="Features">Profiles of the feature columns (neither the label nor --ignore-cols).</param>
    /// <param name="Decisions">The featurization of every column but the label, in file order.</param>
    /// <param name="Rows">Data rows.</param>
    /// <param name="CommentLines">Comment lines skipped (// anywhere, # before the first row).</param>
    /// <param name="HasHeaderRow">Whether the first row was a header.</param>
    /// <param name="Warnings">What the user should know about the reading.</param>
    /// <param name="HasEmbeddedSchema">The file declares a '#@ TextLoader{...}' schema; nothing else is set.</param>
    internal sealed record ScanResult(
        IReadOnlyList<string> Header, char Separator, int LabelIndex, ColumnProfile Label, IReadOnlyList<ColumnProfile> Features,
        IReadOnlyList<ColumnDecision> Decisions, long Rows, int CommentLines, bool HasHeaderRow, IReadOnlyList<string> Warnings, bool HasEmbeddedSchema);
}
