using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// Loads a CSV/TSV file with a header: one streaming pass validates every row (line numbers in errors) and profiles
/// the columns; ML.NET's TextLoader then reads the file with the inferred types (numbers as Single, the rest as text).
/// </summary>
internal static class CsvSource
{
    public static LoadedData Load(MLContext context, CompareOptions options)
    {
        var path = options.DataFile!;
        var scan = Scan(path, options.LabelColumn, expectedHeader: null);
        var label = LabelPlan.Create(scan.Header[scan.LabelIndex], scan.Label.Distinct, scan.Label.DistinctOverflow, options.Task);
        var features = FeaturizationPlan.FromProfiles(scan.Features);
        var columns = LoaderColumns(scan, features);
        var loader = context.Data.CreateTextLoader(columns, scan.Separator, hasHeader: true, allowQuoting: true, trimWhitespace: true);

        IDataView? test = null;
        string source = $"{Path.GetFileName(path)} ({scan.Rows} rows, {scan.Header.Count} columns)";
        if (options.TestFile is { } testPath)
        {
            var testScan = Scan(testPath, options.LabelColumn, expectedHeader: scan.Header);
            var unseen = testScan.Label.Distinct.Except(label.Classes).ToList();
            if (unseen.Count > 0 && !testScan.Label.DistinctOverflow)
            {
                throw new UserInputException(
                    $"The test file '{Path.GetFileName(testPath)}' has label values not in the training data: {string.Join(", ", unseen.Take(10))}.");
            }

            test = loader.Load(testPath);
            source += $", test file {Path.GetFileName(testPath)} ({testScan.Rows} rows)";
        }

        return new LoadedData(loader.Load(path), test, label, features, source);
    }

    /// <summary>The header, separator, row count and column profiles of a file; every row is checked.</summary>
    public static ScanResult Scan(string path, string labelColumn, IReadOnlyList<string>? expectedHeader)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"The data file '{path}' does not exist.");
        }

        IReadOnlyList<string> header = [];
        char separator = ',';
        int labelIndex = -1;
        ColumnProfile label = null!;
        var profiles = new List<ColumnProfile>();
        long rows = 0;
        foreach (var (line, fields) in DelimitedFile.ReadRows(path, (h, s) => (header, separator) = (h, s)))
        {
            if (rows == 0)
            {
                labelIndex = FindLabel(path, header, labelColumn, expectedHeader);
                label = new ColumnProfile(header[labelIndex], labelIndex, LabelPlan.MaxClasses);
                profiles.AddRange(header.Select((name, i) => new ColumnProfile(name, i)).Where(p => p.Index != labelIndex));
            }

            if (ColumnProfile.IsMissingToken(fields[labelIndex].Trim()))
            {
                throw new UserInputException($"{Path.GetFileName(path)}, line {line}: the label '{header[labelIndex]}' is empty; remove rows without a label.");
            }

            label.Add(fields[labelIndex], line);
            foreach (var profile in profiles)
            {
                profile.Add(fields[profile.Index], line);
            }

            rows++;
        }

        if (rows == 0)
        {
            FindLabel(path, header, labelColumn, expectedHeader);
            throw new UserInputException($"The file '{path}' has a header but no data rows.");
        }

        var broken = profiles.FirstOrDefault(p => p.LooksLikeBrokenNumbers);
        if (broken?.FirstNonNumeric is { } bad)
        {
            throw new UserInputException(
                $"{Path.GetFileName(path)}, line {bad.Line}: unreadable value '{bad.Value}' in column '{broken.Name}', whose other values are numbers. " +
                "Fix it, or leave it empty (empty, ?, NA and NaN count as missing).");
        }

        return new ScanResult(header, separator, labelIndex, label, profiles, rows);
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

        int index = IndexOf(header, labelColumn, StringComparison.Ordinal);
        index = index >= 0 ? index : IndexOf(header, labelColumn, StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            throw new UserInputException(
                $"The label column '{labelColumn}' is not in '{Path.GetFileName(path)}'. Columns: {string.Join(", ", header)}. Choose one with --label NAME.");
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

    private static TextLoader.Column[] LoaderColumns(ScanResult scan, FeaturizationPlan features)
    {
        var kinds = features.Columns.ToDictionary(c => c.Name, c => c.Kind);
        var columns = new List<TextLoader.Column> { new(scan.Header[scan.LabelIndex], DataKind.String, scan.LabelIndex) };
        foreach (var profile in scan.Features)
        {
            var kind = kinds[profile.Name];
            if (kind != ColumnKind.Ignored)
            {
                columns.Add(new(profile.Name, kind == ColumnKind.Numeric ? DataKind.Single : DataKind.String, profile.Index));
            }
        }

        return [.. columns];
    }

    /// <summary>What <see cref="Scan"/> found.</summary>
    internal sealed record ScanResult(
        IReadOnlyList<string> Header, char Separator, int LabelIndex, ColumnProfile Label, IReadOnlyList<ColumnProfile> Features, long Rows);
}
