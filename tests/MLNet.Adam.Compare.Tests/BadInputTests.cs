namespace MLNet.Adam.Compare.Tests;

/// <summary>Every user error ends with a one-line message, exit code 2, and no stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Run_MissingFile_SaysItDoesNotExist()
    {
        var errors = RunExpectingUserError("--data", Path.Combine(_files.Root, "missing.csv"));

        Assert.Contains("missing.csv' does not exist", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownLabel_ListsTheColumns()
    {
        var path = _files.Write("d.csv", "height,weight,kind\n1,2,a\n3,4,b\n");

        var errors = RunExpectingUserError("--data", path, "--label", "species");

        Assert.Contains("The label column 'species' is not in 'd.csv'. Columns: height, weight, kind.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LabelWithOneClass_SaysOneClass()
    {
        var path = _files.Write("d.csv", "x,y\n1,a\n2,a\n3,a\n");

        var errors = RunExpectingUserError("--data", path, "--label", "y");

        Assert.Contains("has one class ('a')", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RowWithTooFewFields_GivesLineNumber()
    {
        var path = _files.Write("d.csv", "x,z,y\n1,2,a\n\n3,b\n4,5,b\n");

        var errors = RunExpectingUserError("--data", path, "--label", "y");

        Assert.Contains("d.csv, line 4: unreadable row: expected 3 fields (as in the header), found 2.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnclosedQuoteBeforeTheLabel_LabelEmptyAsTextLoaderReadsIt()
    {
        // TextLoader reads a quote that is never closed as an empty field running to the end of the line: the label is lost.
        var path = _files.Write("d.csv", "x,y\n1,a\n\"2,b\n");

        var errors = RunExpectingUserError("--data", path, "--label", "y");

        Assert.Contains("d.csv, line 3: the label 'y' is empty", errors, StringComparison.Ordinal);
        Assert.Contains("illegal quoting", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TypoInNumericColumn_GivesLineAndValue()
    {
        var rows = string.Concat(Enumerable.Range(0, 30).Select(i => i == 17 ? "1O.5,b\n" : $"{i}.5,{(i % 2 == 0 ? "a" : "b")}\n"));
        var path = _files.Write("d.csv", "x,y\n" + rows);

        var errors = RunExpectingUserError("--data", path, "--label", "y");

        Assert.Contains("d.csv, line 19: unreadable value '1O.5' in column 'x', whose other values are numbers.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmptyFile_SaysEmpty()
    {
        var path = _files.Write("d.csv", string.Empty);

        var errors = RunExpectingUserError("--data", path);

        Assert.Contains("is empty", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_HeaderOnly_SaysNoDataRows()
    {
        var path = _files.Write("d.csv", "x,y\n");

        var errors = RunExpectingUserError("--data", path, "--label", "y");

        Assert.Contains("has a header but no data rows", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmptyLabel_GivesLineNumber()
    {
        var path = _files.Write("d.csv", "x,y\n1,a\n2,\n3,b\n");

        var errors = RunExpectingUserError("--data", path, "--label", "y");

        Assert.Contains("d.csv, line 3: the label 'y' is empty", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TestFileWithDifferentColumns_ListsBoth()
    {
        var train = _files.Write("train.csv", "x,y\n1,a\n2,b\n");
        var test = _files.Write("test.csv", "x,w,y\n1,2,a\n");

        var errors = RunExpectingUserError("--data", train, "--label", "y", "--test", test);

        Assert.Contains("must have the same columns as the data file", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FeatureColumnNamedLabel_SaysRenameIt()
    {
        var path = _files.Write("d.csv", "Label,y\n1,a\n2,b\n");

        var errors = RunExpectingUserError("--data", path, "--label", "y");

        Assert.Contains("A feature column is named 'Label' but is not the label", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SgdOnMulticlass_SaysUnsupported()
    {
        var errors = RunExpectingUserError("--dataset", "synthetic-multiclass", "--rows", "100", "--trainers", "sgd");

        Assert.Contains("sgd do not support multiclass classification", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FashionMnistMissing_SaysHowToInstall()
    {
        var error = Assert.Throws<UserInputException>(() =>
            Data.FashionMnist.Load(new Microsoft.ML.MLContext(), _files.Options("--dataset", "fashion-mnist"), _files.Root));

        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message, StringComparison.Ordinal);
    }

    private string RunExpectingUserError(params string[] args)
    {
        var (code, _, errors) = TestFiles.Run(_files.Options(args));

        Assert.Equal(ExitCodes.UserError, code);
        Assert.StartsWith("error: ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.Single(errors.Trim().Split('\n'));
        return errors;
    }
}
