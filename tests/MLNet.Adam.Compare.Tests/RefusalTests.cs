using System.Globalization;
using System.Text;
using System.Text.Json;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Evaluation;
using MLNet.Adam.Compare.Featurization;
using MLNet.Adam.Compare.Output;
using MLNet.Adam.Compare.Trainers;

namespace MLNet.Adam.Compare.Tests;

/// <summary>
/// The rest of issue 14's table: a continuous label, metrics that cannot be computed, every trainer failing, a bad
/// output folder, identifier columns and the positive class; plus the report's wording on spread and timing.
/// </summary>
public sealed class RefusalTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Output => Path.Combine(_files.Root, "out");

    [Fact]
    public void Run_ContinuousLabel_RefusedAsRegression()
    {
        // As housing.txt with --label MedianHomeValue.
        var text = new StringBuilder("MedianHomeValue\tRooms\n");
        for (int i = 0; i < 60; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{10 + (i * 0.37):F2}\t{4 + (i % 5)}\n");
        }

        var path = _files.Write("housing.txt", text.ToString());

        var (code, output, errors) = _files.RunOn(path, "--label", "MedianHomeValue");

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("The label column 'MedianHomeValue' has 60 distinct numeric values", errors, StringComparison.Ordinal);
        Assert.Contains("regression is not what this tool does", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("warm-up", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ManyNumericClassesWithTaskForced_Multiclass()
    {
        var values = Enumerable.Range(0, 30).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();

        Assert.Throws<UserInputException>(() => LabelPlan.Create("y", values, overflow: false, forced: null, numeric: true));
        var plan = LabelPlan.Create("y", values, overflow: false, forced: TaskKind.Multiclass, numeric: true);

        Assert.Equal(30, plan.Classes.Count);
        Assert.Equal(TaskKind.Multiclass, plan.Task);
    }

    [Fact]
    public void Create_TwentyNumericClasses_NotRefused()
    {
        var values = Enumerable.Range(0, LabelPlan.ContinuousLimit).Select(i => i.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(TaskKind.Multiclass, LabelPlan.Create("digit", values, overflow: false, forced: null, numeric: true).Task);
    }

    [Fact]
    public void Run_TestRowsOfOneClass_AucReportedAsNotDefined()
    {
        // As topics.csv: so few rows that a test split can hold one class only, which made ML.NET's evaluator throw.
        var train = _files.Write("topics.csv", "review,label\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"\"{(i % 2 == 0 ? "cats dogs" : "galaxy space")} {i}\",{i % 2}\n")));
        var test = _files.Write("topics-test.csv", "review,label\n\"cats dogs 20\",0\n\"cats dogs 22\",0\n");

        var (code, output, errors) = _files.RunOn(train, "--label", "label", "--test", test, "--trainers", "adam,lbfgs");

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("not defined", output, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(Output, ReportWriter.MarkdownFile));
        Assert.Contains("AUC is not defined on 1 of 1 test split(s): the test rows are all of the negative class", report, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, ReportWriter.JsonFile)));
        foreach (var result in json.RootElement.GetProperty("leaderboard").EnumerateArray())
        {
            Assert.False(result.TryGetProperty("error", out _), result.ToString());
            var fold = result.GetProperty("folds")[0];
            Assert.False(fold.TryGetProperty("auc", out _));
            Assert.InRange(fold.GetProperty("accuracy").GetDouble(), 0, 1);
            Assert.True(fold.GetProperty("logLoss").GetDouble() > 0);
        }
    }

    [Fact]
    public void Run_EveryTrainerFails_ExitCodeFourAndTheReportSaysWhy()
    {
        var failing = new TrainerSpec(
            "broken", _ => "Broken", _ => true, (_, _, _) => new FailingRun(), _ => [TrainerConfig.Defaults]);

        var (code, _, errors) = TestFiles.Run(_files.Options("--rows", "100", "--features", "3"), [failing]);

        Assert.Equal(ExitCodes.NoTrainerSucceeded, code);
        Assert.Contains("every trainer failed", errors, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(Output, ReportWriter.MarkdownFile));
        Assert.Contains("Every trainer failed", report, StringComparison.Ordinal);
        Assert.Contains("failed: InvalidOperationException: no fit today", report, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Output, CompareApp.BestModelFile)));
    }

    [Fact]
    public void Run_OneTrainerFails_StillSuccess()
    {
        var failing = new TrainerSpec("broken", _ => "Broken", _ => true, (_, _, _) => new FailingRun(), _ => [TrainerConfig.Defaults]);
        var lbfgs = TrainerRegistry.All.First(t => t.Id == "lbfgs");

        var (code, _, errors) = TestFiles.Run(_files.Options("--rows", "100", "--features", "3"), [failing, lbfgs]);

        Assert.True(code == ExitCodes.Success, errors);
    }

    [Fact]
    public void Run_OutputIsAFile_RefusedBeforeAnyTraining()
    {
        var file = _files.Write("taken", "not a folder");

        var (code, output, errors) = TestFiles.Run(CompareCommand.Parse("--rows", "100", "--output", file, "--no-plot"));

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains($"--output '{file}' is a file", errors, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Run_OutputCannotBeCreated_RefusedBeforeAnyTraining()
    {
        var file = _files.Write("taken", "not a folder");
        var below = Path.Combine(file, "results");

        var (code, output, errors) = TestFiles.Run(CompareCommand.Parse("--rows", "100", "--output", below, "--no-plot"));

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains($"--output '{below}' is not a folder the tool can write to", errors, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Run_IdentifierAndZipColumns_WarnedAndDroppedWithIgnoreCols()
    {
        // As newspaperchurn.csv: a subscription id and a zip code beside real features.
        var text = new StringBuilder("SubscriptionID,Zip Code,weekly fee,Subscriber\n");
        for (int i = 0; i < 80; i++)
        {
            double fee = (i * 13 % 40) / 10.0;
            text.Append(CultureInfo.InvariantCulture, $"{110447118 + (i * 7)},{92683 + (i % 6)},{fee:F1},{(fee > 2 ? "YES" : "NO")}\n");
        }

        var path = _files.Write("churn.csv", text.ToString());

        var (code, output, errors) = _files.RunOn(path, "--label", "Subscriber");
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("warning: column 'SubscriptionID' has a distinct value in every row (80 rows): it looks like an identifier", output, StringComparison.Ordinal);
        Assert.Contains("drop it with --ignore-cols SubscriptionID", output, StringComparison.Ordinal);
        Assert.DoesNotContain("column 'weekly fee' has a distinct value", output, StringComparison.Ordinal);

        (code, output, errors) = _files.RunOn(path, "--label", "Subscriber", "--ignore-cols", "SubscriptionID,Zip Code");
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("ignored: SubscriptionID (--ignore-cols), Zip Code (--ignore-cols)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ignore-cols", "Phone", "--ignore-cols: the column 'Phone' is not in 'churn.csv'. Columns: id, fee, y.")]
    [InlineData("--ignore-cols", "y", "--ignore-cols names the label column 'y'")]
    [InlineData("--positive-class", "maybe", "--positive-class 'maybe' is not a value of the label 'y', whose values are: 'NO', 'YES'.")]
    public void Run_BadColumnOption_NamesTheColumnOrValue(string option, string value, string expected)
    {
        var path = _files.Write("churn.csv", "id,fee,y\n1,2.5,YES\n2,1.5,NO\n3,3.5,YES\n");

        var (code, _, errors) = _files.RunOn(path, "--label", "y", option, value);

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PlusMinusLabel_PlusByDefaultAndMinusWithPositiveClass()
    {
        // As creditapproval_train.csv, whose label A16 is + or -.
        var text = new StringBuilder("A2,A9,A16\n");
        for (int i = 0; i < 60; i++)
        {
            double a2 = 20 + (i * 17 % 40);
            text.Append(CultureInfo.InvariantCulture, $"{a2:F2},{(i % 2 == 0 ? "t" : "f")},{(a2 > 35 ? "+" : "-")}\n");
        }

        var path = _files.Write("credit.csv", text.ToString());

        var (code, output, errors) = _files.RunOn(path, "--label", "A16");
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("positive class '+', negative '-'", output, StringComparison.Ordinal);

        (code, output, errors) = _files.RunOn(path, "--label", "A16", "--positive-class", "-");
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("positive class '-', negative '+'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PositiveClassOnMulticlass_Refused()
    {
        var path = _files.Write("shapes.csv", "x,shape\n1,circle\n2,square\n3,star\n");

        var (code, _, errors) = _files.RunOn(path, "--label", "shape", "--positive-class", "star");

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("--positive-class applies to binary classification", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Holdout_NoSpreadOverFoldsAndTheFirstLineSaysWhatHappens()
    {
        var (code, output, errors) = TestFiles.Run(_files.Options("--rows", "200", "--features", "3", "--trainers", "lbfgs"));

        Assert.True(code == ExitCodes.Success, errors);
        Assert.StartsWith("Comparing classification trainers on the built-in synthetic-binary data: reading and checking the data", output, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(Output, ReportWriter.MarkdownFile));
        Assert.Contains("One test split, so there is no spread.", report, StringComparison.Ordinal);
        Assert.DoesNotContain("over folds", report, StringComparison.Ordinal);
        Assert.Contains("measured the same way for every trainer", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Folds_SpreadOverFolds()
    {
        var (code, _, errors) = TestFiles.Run(_files.Options("--rows", "200", "--features", "3", "--trainers", "lbfgs", "--folds", "2"));

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("the standard deviation over folds", File.ReadAllText(Path.Combine(Output, ReportWriter.MarkdownFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AdamCurve_SameClockAsItsTimedFitAndTheDifferenceStated()
    {
        var options = _files.Options("--rows", "2000", "--features", "5", "--trainers", "adam") with { NoPlot = false };

        var (code, _, errors) = TestFiles.Run(options);

        Assert.True(code == ExitCodes.Success, errors);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, ReportWriter.JsonFile)));
        var curve = json.RootElement.GetProperty("adamCurve").EnumerateArray().ToList();
        var fit = json.RootElement.GetProperty("adamCurveFit");
        Assert.Equal(fit.GetProperty("epochs").GetInt32(), curve.Count);
        Assert.Equal(Enumerable.Range(1, curve.Count), curve.Select(p => p.GetProperty("epoch").GetInt32()));
        var seconds = curve.Select(p => p.GetProperty("seconds").GetDouble()).ToList();
        Assert.Equal(seconds.Order(), seconds);
        Assert.InRange(seconds[^1], 0, fit.GetProperty("fitSeconds").GetDouble());
        var leaderboardEpochs = json.RootElement.GetProperty("leaderboard")[0].GetProperty("folds")[0].GetProperty("epochs").GetInt32();
        Assert.Equal(leaderboardEpochs, fit.GetProperty("leaderboardEpochs").GetInt32());
        var report = File.ReadAllText(Path.Combine(Output, ReportWriter.MarkdownFile));
        Assert.Contains($"Curve fit: {curve.Count} epochs in", report, StringComparison.Ordinal);
        Assert.Contains($"leaderboard fit on the same split: {leaderboardEpochs} epochs in", report, StringComparison.Ordinal);
    }

    private sealed class FailingRun : ITrainerRun
    {
        public Training.TrainingSummary? Summary => null;

        public Microsoft.ML.ITransformer Fit(Microsoft.ML.IDataView train, Microsoft.ML.IDataView? validation) =>
            throw new InvalidOperationException("no fit today");
    }
}
