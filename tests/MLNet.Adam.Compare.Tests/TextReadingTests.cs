using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Data;
using MLNet.Adam.Compare.Featurization;
using MLNet.Adam.Compare.Output;

namespace MLNet.Adam.Compare.Tests;

/// <summary>
/// Text files as ML.NET users have them (the first rows of issue 14's table): comment lines, a stray quote, an embedded
/// TextLoader schema, no header, decimal commas; and the reader checked field by field against ML.NET's TextLoader.
/// </summary>
public sealed class TextReadingTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Rows whose label is 1 exactly when x is above 5, so that every trainer can learn them.</summary>
    private static string Rows(int count, char separator = ',', Func<int, string>? extra = null)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            double x = (i * 7919 % 100) / 10.0;
            text.Append(FormattableString.Invariant($"{x:F1}{separator}{(i % 3 == 0 ? "red" : "blue")}{separator}{(x > 5 ? 1 : 0)}"))
                .Append(extra?.Invoke(i) ?? string.Empty).Append('\n');
        }

        return text.ToString();
    }

    [Fact]
    public void Run_CommentLinesBeforeAndBetweenRows_SkippedAsTextLoaderDoes()
    {
        // As in breast-cancer-withheader.txt: a block of // lines before the header; # lines are comments before it too.
        var path = _files.Write("commented.txt", "// Number of Instances: 40\n// Attribute Information:\n#  x: a measurement\n\nx,color,label\n" +
            Rows(20) + "// a comment between rows\n" + Rows(20));

        var (code, output, errors) = _files.RunOn(path, "--label", "label");

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("commented.txt (40 rows, 3 columns, separator ',', 4 comment line(s) skipped)", output, StringComparison.Ordinal);
        Assert.Contains("x (numbers)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_StrayQuoteInTextField_EveryRowReadWithAWarningNamingTheLine()
    {
        // As in wikipedia-detox-250-line-data.tsv: one comment opens a quote it never closes.
        var lines = new StringBuilder("Sentiment\tSentimentText\tLoggedIn\n");
        for (int i = 0; i < 60; i++)
        {
            var text = i == 17 ? "\"this one opens a quote and never closes it" : $"\"comment number {i}, {(i % 2 == 0 ? "kind" : "rude")} words\"";
            lines.Append(CultureInfo.InvariantCulture, $"{i % 2}\t{text}\t{(i % 3 == 0 ? "TRUE" : "FALSE")}\n");
        }

        var path = _files.Write("detox.tsv", lines.ToString());

        var (code, output, errors) = _files.RunOn(path, "--label", "Sentiment");

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("detox.tsv (60 rows,", output, StringComparison.Ordinal);
        Assert.Contains("warning: detox.tsv: illegal quoting on 1 row(s) (line 19)", output, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(_files.Root, "out", ReportWriter.MarkdownFile));
        Assert.Contains("## Warnings", report, StringComparison.Ordinal);
        Assert.Contains("illegal quoting on 1 row(s) (line 19)", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmbeddedTextLoaderSchema_ColumnsAndTypesFromTheSchema()
    {
        // As in adult.tiny.with-schema.txt: the schema (separator, header, columns and their types) is in #@ lines.
        var text = new StringBuilder("#@ TextLoader{\n#@   header+\n#@   sep=tab\n#@   col=Label:R4:0\n#@   col=Workclass:TX:1\n" +
            "#@   col=Codes:TX:2-3\n#@   col=NumericFeatures:R4:4-5\n#@ }\nlabel\tworkclass\tc1\tc2\tage\thours\n");
        for (int i = 0; i < 60; i++)
        {
            int age = 20 + (i * 37 % 50);
            text.Append(CultureInfo.InvariantCulture, $"{(age > 40 ? 1 : 0)}\t{(i % 2 == 0 ? "Private" : "State-gov")}\t{(i % 3 == 0 ? "a" : "b")}\t{(i % 4 == 0 ? "x" : "y")}\t{age}\t{30 + (i % 20)}\n");
        }

        var path = _files.Write("adult.with-schema.txt", text.ToString());

        var (code, output, errors) = _files.RunOn(path);

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("adult.with-schema.txt (60 rows; schema from its '#@ TextLoader{...}' header, read by TextLoader; 8 comment line(s))", output, StringComparison.Ordinal);
        Assert.Contains("binary: label 'Label'", output, StringComparison.Ordinal);
        Assert.Contains("NumericFeatures (numeric vector)", output, StringComparison.Ordinal);
        Assert.Contains("Workclass (strings, 2 distinct)", output, StringComparison.Ordinal);
        Assert.Contains("Codes (text vector of 2, 4 distinct strings)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmbeddedSchemaWithReadingOptions_Refused()
    {
        var path = _files.Write("schema.txt", "#@ TextLoader{ sep=tab col=Label:R4:0 col=X:R4:1 }\n1\t2\n0\t3\n");

        var (code, _, errors) = _files.RunOn(path, "--separator", "tab");

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("declares its own schema in a '#@ TextLoader{...}' header", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoHeaderWithoutHasHeader_RefusedBeforeLosingTheFirstRow()
    {
        // As iris.data: the first line is data.
        var path = _files.Write("iris.data", Rows(30));

        var (code, _, errors) = _files.RunOn(path);

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("iris.data, line 1: the first row looks like data, not a header", errors, StringComparison.Ordinal);
        Assert.Contains("add --has-header false", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("col2")]
    [InlineData("2")]
    public void Run_HasHeaderFalse_EveryRowReadAndColumnsNamedByPosition(string label)
    {
        var path = _files.Write("iris.data", Rows(30));

        var (code, output, errors) = _files.RunOn(path, "--has-header", "false", "--label-col", label);

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("iris.data (30 rows, 3 columns, separator ',', no header: columns named col0..col2)", output, StringComparison.Ordinal);
        Assert.Contains("binary: label 'col2'", output, StringComparison.Ordinal);
        Assert.Contains("col0 (numbers)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SemicolonsAndDecimalCommas_WarnsWithoutTheMarkerAndReadsNumbersWithIt()
    {
        var path = _files.Write("comma.csv", "x;color;label\n" + Rows(40, ';').Replace('.', ','));

        var (code, output, errors) = _files.RunOn(path, "--label", "label");
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("warning: column 'x' holds numbers written with ',' as decimal marker (such as '0,0') and is read as strings; add --decimal-marker ,", output, StringComparison.Ordinal);
        Assert.DoesNotContain("x (numbers)", output, StringComparison.Ordinal);

        (code, output, errors) = _files.RunOn(path, "--label", "label", "--decimal-marker", ",");
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("x (numbers)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", output, StringComparison.Ordinal);

        // What TextLoader loads is the numbers themselves.
        var data = CsvSource.Load(new MLContext(1), _files.Options("--data", path, "--label", "label", "--decimal-marker", ","));
        Assert.Equal([0f, 1.9f, 3.8f], data.Data.GetColumn<float>("x").Take(3));
    }

    [Fact]
    public void Load_EmptyNumber_ReadAsMissingAndNotAsZero()
    {
        var path = _files.Write("gaps.csv", "x,label\n1,a\n,b\n3,a\n");

        var data = CsvSource.Load(new MLContext(1), _files.Options("--data", path, "--label", "label"));

        Assert.Equal([1f, float.NaN, 3f], data.Data.GetColumn<float>("x"));
    }

    [Fact]
    public void Run_LineOfSpaces_RefusedBecauseTextLoaderReadsItAsARow()
    {
        var path = _files.Write("spaces.csv", "x,label\n1,a\n   \n2,b\n");

        var (code, _, errors) = _files.RunOn(path, "--label", "label");

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("spaces.csv, line 3: the line holds only whitespace, which ML.NET's TextLoader reads as a row of empty fields", errors, StringComparison.Ordinal);
        var rows = new MLContext(1).Data.LoadFromTextFile(path, [new TextLoader.Column("x", DataKind.String, 0)], ',', hasHeader: true, allowQuoting: true, trimWhitespace: true);
        Assert.Equal(3, rows.GetColumn<ReadOnlyMemory<char>>("x").Count());
    }

    /// <summary>A file mixing every rule: its fields as read here must be what TextLoader reads, row by row.</summary>
    [Fact]
    public void ReadRows_TrickyFile_SameFieldsAsTextLoader()
    {
        var content =
            "// leading comment\n# leading hash comment\n\na,b,c\n" +
            "1,\"quoted, with separator\",x\n" +
            "  2,  \"doubled \"\" quote\"  ,y\n" +
            "// comment between rows\n" +
            "#3,hash after the header is data,z\n" +
            "4,\"closed\"then text,w\n" +
            "5,\"never closed, at all\n" +
            "6,plain \"inner\" quotes,v\n" +
            "7,,\n";
        var path = _files.Write("tricky.csv", content);

        var ours = AssertSameFieldsAsTextLoader(path, ',', columns: 3);

        Assert.Equal(7, ours.Count);
        Assert.Equal(["#3", "hash after the header is data", "z"], ours[2]);
        Assert.Equal(["5", string.Empty, string.Empty], ours[4]);
    }

    [Fact]
    public void ReadRows_TabsWithTrailingWhitespaceAndEmptyLastFields_SameFieldsAsTextLoader()
    {
        // TextLoader trims the whitespace at the end of a line, tabs of empty last fields included.
        var path = _files.Write("tabs.tsv", "a\tb\tc\n1\ttext then spaces   \t\n2\t\t\n3\t\"quoted   \"\tz   \n");

        var ours = AssertSameFieldsAsTextLoader(path, '\t', columns: 3);

        Assert.Equal(["1", "text then spaces", string.Empty], ours[0]);
        Assert.Equal(["3", "quoted   ", "z"], ours[2]);
    }

    /// <summary>Reads <paramref name="path"/> with this tool's reader and with TextLoader (every column as text) and compares every field.</summary>
    private static List<string[]> AssertSameFieldsAsTextLoader(string path, char separator, int columns)
    {
        var ours = DelimitedFile.ReadRows(path, new TextFormat(separator, HasHeader: true), _ => { }).Select(r => r.Fields.ToArray()).ToList();
        var view = new MLContext(1).Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = [.. Enumerable.Range(0, columns).Select(i => new TextLoader.Column($"c{i}", DataKind.String, i))],
            Separators = [separator],
            HasHeader = true,
            AllowQuoting = true,
            TrimWhitespace = true,
        }).Load(path);
        var theirs = new List<string[]>();
        using var cursor = view.GetRowCursor(view.Schema);
        var getters = view.Schema.Select(c => cursor.GetGetter<ReadOnlyMemory<char>>(c)).ToArray();
        while (cursor.MoveNext())
        {
            theirs.Add([.. getters.Select(get =>
            {
                ReadOnlyMemory<char> value = default;
                get(ref value);
                return value.ToString();
            })]);
        }

        Assert.Equal(theirs, ours);
        return ours;
    }

    [Fact]
    public void Parse_ReadingOptionsAndCliAliases_Bound()
    {
        var options = CompareCommand.Parse("--data", "x.csv", "--label-col", "y", "--has-header", "false", "--separator", "semicolon",
            "--decimal-marker", ",", "--ignore-cols", "id,zip", "--ignore-cols", "name", "--positive-class", "-", "--sweep", "--train-time", "30");

        Assert.Equal("y", options.LabelColumn);
        Assert.False(options.HasHeader);
        Assert.Equal(';', options.Separator);
        Assert.Equal(',', options.DecimalMarker);
        Assert.Equal(["id", "zip", "name"], options.IgnoreColumns);
        Assert.Equal("-", options.PositiveClass);
        Assert.Equal(30, options.TimeBudgetSeconds);
    }

    [Fact]
    public void Parse_IgnoreColsSpaceSeparated_AsTheMlNetCli()
    {
        var options = CompareCommand.Parse("--data", "x.csv", "--ignore-cols", "id", "zip", "--label", "y");

        Assert.Equal(["id", "zip"], options.IgnoreColumns);
        Assert.Equal("y", options.LabelColumn);
    }

    [Theory]
    [InlineData("--data x.csv --has-header maybe", "--has-header must be true or false")]
    [InlineData("--data x.csv --separator ab", "--separator must be one character or one of")]
    [InlineData("--data x.csv --decimal-marker ;", "--decimal-marker must be . or ,")]
    [InlineData("--ignore-cols id", "apply to --data only")]
    [InlineData("--data x.idv --separator tab", "an .idv file stores its schema")]
    public void Parse_BadReadingOption_ClearMessage(string commandLine, string expected)
    {
        var error = Assert.Throws<UserInputException>(() => CompareCommand.Parse(commandLine.Split(' ')));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheExitCodes()
    {
        var help = new StringWriter();
        var root = CompareCommand.Create(_ => 0);

        root.Parse("--help").Invoke(new System.CommandLine.InvocationConfiguration { Output = help });

        Assert.Contains("Exit codes: 0 success; 1 the command line could not be parsed; 2 bad input", help.ToString(), StringComparison.Ordinal);
        Assert.Contains("4 every trainer failed", help.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TestFileInTheSameFormat_ReadWithTheSameOptions()
    {
        var train = _files.Write("train.csv", Rows(40, ';').Replace('.', ','));
        var test = _files.Write("test.csv", Rows(20, ';').Replace('.', ','));

        var (code, output, errors) = _files.RunOn(train, "--test", test, "--has-header", "false", "--decimal-marker", ",", "--label", "col2");

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("test file test.csv (20 rows)", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_files.Root, "out", ReportWriter.JsonFile)));
        Assert.InRange(json.RootElement.GetProperty("leaderboard")[0].GetProperty("folds")[0].GetProperty("accuracy").GetDouble(), 0.9, 1.0);
    }

    [Fact]
    public void Profile_DecimalCommaValues_NumbersButForTheMarker()
    {
        var profile = new ColumnProfile("x", 0);
        foreach (var value in new[] { "1,5", "2", "3,25" })
        {
            profile.Add(value);
        }

        Assert.True(profile.NumbersButForDecimalMarker);
        Assert.Equal("1,5", profile.OtherMarkerExample);
    }
}
