using MLNet.Adam.Compare.CommandLine;

namespace MLNet.Adam.Compare.Tests;

public sealed class CompareCommandTests
{
    [Fact]
    public void Parse_NoArguments_SyntheticBinaryWithHoldoutAndAllTrainers()
    {
        var options = CompareCommand.Parse();

        Assert.Null(options.DataFile);
        Assert.Equal(BuiltInDataset.SyntheticBinary, options.Dataset);
        Assert.Equal(EvaluationMode.Holdout, options.Evaluation);
        Assert.Equal(CompareOptions.DefaultHoldout, options.HoldoutFraction);
        Assert.Empty(options.Trainers);
        Assert.False(options.Sweep);
        Assert.Equal(Path.GetFullPath(CompareOptions.DefaultOutputDirectory), options.OutputDirectory);
    }

    [Fact]
    public void Parse_DataLabelTaskAndFolds_AllBound()
    {
        var options = CompareCommand.Parse("--data", "x.csv", "--label", "y", "--task", "multiclass", "--folds", "3", "--seed", "9");

        Assert.Equal(Path.GetFullPath("x.csv"), options.DataFile);
        Assert.Null(options.Dataset);
        Assert.Equal("y", options.LabelColumn);
        Assert.Equal(TaskKind.Multiclass, options.Task);
        Assert.Equal(EvaluationMode.CrossValidation, options.Evaluation);
        Assert.Equal(3, options.Folds);
        Assert.Equal(9, options.Seed);
    }

    [Fact]
    public void Parse_TrainersList_LowerCasedAndDeduplicated()
    {
        var options = CompareCommand.Parse("--trainers", "Adam, lbfgs,adam");

        Assert.Equal(["adam", "lbfgs"], options.Trainers);
    }

    [Fact]
    public void Parse_SweepWithBudget_Bound()
    {
        var options = CompareCommand.Parse("--sweep", "--time-budget", "12.5");

        Assert.True(options.Sweep);
        Assert.Equal(12.5, options.TimeBudgetSeconds);
    }

    [Fact]
    public void Parse_FashionMnistWithoutEvaluation_UsesItsTestSplit()
    {
        var options = CompareCommand.Parse("--dataset", "fashion-mnist");

        Assert.Equal(BuiltInDataset.FashionMnist, options.Dataset);
        Assert.Equal(EvaluationMode.BuiltInTestSplit, options.Evaluation);
        Assert.False(options.RowsGiven);
    }

    [Fact]
    public void Parse_FashionMnistWithHoldout_UsesHoldout()
    {
        var options = CompareCommand.Parse("--dataset", "fashion-mnist", "--holdout", "0.1", "--rows", "1000");

        Assert.Equal(EvaluationMode.Holdout, options.Evaluation);
        Assert.Equal(0.1, options.HoldoutFraction);
        Assert.True(options.RowsGiven);
        Assert.Equal(1000, options.Rows);
    }

    [Fact]
    public void Parse_Threads_Bound()
    {
        Assert.Equal(1, CompareCommand.Parse("--threads", "1").Threads);
        Assert.Null(CompareCommand.Parse().Threads);
    }

    [Fact]
    public void Parse_TestFile_TestFileEvaluation()
    {
        var options = CompareCommand.Parse("--data", "train.csv", "--test", "test.csv");

        Assert.Equal(EvaluationMode.TestFile, options.Evaluation);
        Assert.Equal(Path.GetFullPath("test.csv"), options.TestFile);
    }

    [Fact]
    public void Parse_SaveDataAndNoCache_Bound()
    {
        var save = CompareCommand.Parse("--rows", "5000000", "--features", "100", "--save-data", "big.idv");
        var read = CompareCommand.Parse("--data", "big.idv", "--no-cache");

        Assert.Equal(Path.GetFullPath("big.idv"), save.SaveDataFile);
        Assert.Equal(5_000_000, save.Rows);
        Assert.False(save.NoCache);
        Assert.True(read.NoCache);
        Assert.Null(read.SaveDataFile);
        Assert.EndsWith("(--no-cache)", read.DescribeEvaluation(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--folds 1", "--folds must be at least 2")]
    [InlineData("--holdout 1.5", "--holdout must be a fraction")]
    [InlineData("--folds 3 --holdout 0.2", "Choose one evaluation")]
    [InlineData("--data a.csv --dataset synthetic-binary", "cannot be combined")]
    [InlineData("--test t.csv", "--test needs --data")]
    [InlineData("--dataset imagenet", "Unknown --dataset 'imagenet'")]
    [InlineData("--data a.csv --task regression", "Unknown --task 'regression'")]
    [InlineData("--trainers adam,xgboost", "Unknown trainer(s) in --trainers: xgboost")]
    [InlineData("--label y", "--label and --task apply to --data only")]
    [InlineData("--sweep --time-budget 0", "--time-budget must be a positive")]
    [InlineData("--time-budget 10", "--time-budget applies to --sweep")]
    [InlineData("--classes 2 --dataset synthetic-multiclass", "--classes must be at least 3")]
    [InlineData("--rows abc", "abc")]
    [InlineData("--threads 0", "--threads must be at least 1")]
    [InlineData("--save-data big.csv", "its name must end in .idv")]
    [InlineData("--data a.idv --save-data b.idv", "cannot be combined with --data")]
    [InlineData("--save-data b.idv --trainers adam", "--save-data only writes the data and exits")]
    [InlineData("--save-data b.idv --no-cache", "--save-data only writes the data and exits")]
    public void Parse_InvalidCombination_ClearMessage(string commandLine, string expected)
    {
        var error = Assert.Throws<UserInputException>(() => CompareCommand.Parse(commandLine.Split(' ')));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_HelpOption_DocumentsEveryOption()
    {
        var output = new StringWriter();
        var root = CompareCommand.Create(_ => 0);
        var result = root.Parse(["--help"]);
        result.InvocationConfiguration.Output = output;

        int code = result.Invoke();

        Assert.Equal(0, code);
        foreach (var option in new[] { "--data", "--label", "--task", "--test", "--dataset", "--rows", "--features", "--classes", "--trainers", "--folds", "--holdout", "--sweep", "--time-budget", "--output", "--seed", "--threads", "--no-plot", "--no-cache", "--save-data" })
        {
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Create_ValidArguments_RunReceivesOptions()
    {
        CompareOptions? received = null;
        var root = CompareCommand.Create(options =>
        {
            received = options;
            return 42;
        });

        int code = root.Parse(["--trainers", "lbfgs", "--holdout", "0.3"]).Invoke();

        Assert.Equal(42, code);
        Assert.NotNull(received);
        Assert.Equal(["lbfgs"], received.Trainers);
        Assert.Equal(0.3, received.HoldoutFraction);
    }
}
