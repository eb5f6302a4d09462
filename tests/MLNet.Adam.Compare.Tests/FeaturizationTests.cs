using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Data;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Tests;

public sealed class FeaturizationTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Scan_MixedCsv_NumericCategoricalTextAndConstantDetected()
    {
        var path = _files.WriteMixedCsv("mixed.csv", rows: 60);

        var scan = CsvSource.Scan(path, "label", expectedHeader: null);
        var plan = FeaturizationPlan.FromProfiles(scan.Features);

        Assert.Equal(60, scan.Rows);
        Assert.Equal(',', scan.Separator);
        Assert.Equal(["age"], plan.Of(ColumnKind.Numeric));
        Assert.Equal(["color"], plan.Of(ColumnKind.Categorical));
        Assert.Equal(["comment"], plan.Of(ColumnKind.Text));
        Assert.Equal(["constant"], plan.Of(ColumnKind.Ignored));
    }

    [Fact]
    public void Describe_MixedCsv_NamesEachTreatment()
    {
        var path = _files.WriteMixedCsv("mixed.csv", rows: 40);
        var plan = FeaturizationPlan.FromProfiles(CsvSource.Scan(path, "label", null).Features);

        var lines = string.Join("\n", plan.Describe());

        Assert.Contains("NormalizeMeanVariance", lines, StringComparison.Ordinal);
        Assert.Contains("OneHotEncoding: color", lines, StringComparison.Ordinal);
        Assert.Contains("FeaturizeText: comment", lines, StringComparison.Ordinal);
        Assert.Contains("ignored: constant (constant)", lines, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NumbersWithMissingValues_NumericWithMissingCount()
    {
        var profile = new ColumnProfile("x", 0);
        foreach (var value in new[] { "1.5", "", "NA", "-2e3", "?", "4" })
        {
            profile.Add(value);
        }

        var decision = FeaturizationPlan.Decide(profile);

        Assert.Equal(ColumnKind.Numeric, decision.Kind);
        Assert.Equal("numbers, 3 missing", decision.Reason);
    }

    [Fact]
    public void LooksLikeBrokenNumbers_MostlyStrings_False()
    {
        var profile = new ColumnProfile("x", 0);
        foreach (var value in Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? "7" : $"word{i}"))
        {
            profile.Add(value);
        }

        Assert.False(profile.LooksLikeBrokenNumbers);
        Assert.Equal(ColumnKind.Text, FeaturizationPlan.Decide(profile).Kind);
    }

    [Fact]
    public void Decide_TwentyOneDistinctStrings_Text()
    {
        var profile = new ColumnProfile("x", 0);
        for (int i = 0; i <= ColumnProfile.CategoricalLimit; i++)
        {
            profile.Add($"value {i}");
        }

        Assert.Equal(ColumnKind.Text, FeaturizationPlan.Decide(profile).Kind);
    }

    [Fact]
    public void Decide_TwentyDistinctStrings_Categorical()
    {
        var profile = new ColumnProfile("x", 0);
        for (int i = 0; i < ColumnProfile.CategoricalLimit; i++)
        {
            profile.Add($"value {i}");
        }

        Assert.Equal(ColumnKind.Categorical, FeaturizationPlan.Decide(profile).Kind);
    }

    [Fact]
    public void Scan_TabSeparatedFile_TabDetected()
    {
        var path = _files.Write("data.tsv", "a\tb\ty\n1\tx\tp\n2\tz\tq\n");

        var scan = CsvSource.Scan(path, "y", null);

        Assert.Equal('\t', scan.Separator);
        Assert.Equal(["a", "b", "y"], scan.Header);
    }

    [Fact]
    public void TrySplit_QuotedFieldWithSeparatorAndDoubledQuote_OneField()
    {
        var fields = new List<string>();

        bool ok = DelimitedFile.TrySplit("1,\"a, \"\"b\"\"\",3", ',', fields);

        Assert.True(ok);
        Assert.Equal(["1", "a, \"b\"", "3"], fields);
    }

    [Theory]
    [InlineData("no", "yes", "yes")]
    [InlineData("0", "1", "1")]
    [InlineData("False", "True", "True")]
    [InlineData("cat", "dog", "dog")]
    public void ChoosePositive_TwoClasses_ConventionalPositive(string first, string second, string expected)
    {
        Assert.Equal(expected, LabelPlan.ChoosePositive([first, second]));
    }

    [Fact]
    public void Create_ThreeClasses_Multiclass()
    {
        var plan = LabelPlan.Create("y", ["b", "a", "c"], overflow: false, forced: null);

        Assert.Equal(TaskKind.Multiclass, plan.Task);
        Assert.Equal(["a", "b", "c"], plan.Classes);
        Assert.Null(plan.PositiveClass);
    }

    [Fact]
    public void Create_TwoClassesForcedMulticlass_Multiclass()
    {
        var plan = LabelPlan.Create("y", ["a", "b"], overflow: false, forced: TaskKind.Multiclass);

        Assert.Equal(TaskKind.Multiclass, plan.Task);
    }

    [Fact]
    public void Create_ThreeClassesForcedBinary_ClearMessage()
    {
        var error = Assert.Throws<UserInputException>(() => LabelPlan.Create("y", ["a", "b", "c"], false, TaskKind.Binary));

        Assert.Contains("--task binary needs exactly two label values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildEstimator_MixedCsv_ProducesKnownSizeFeatureVector()
    {
        var path = _files.WriteMixedCsv("mixed.csv", rows: 50);
        var context = new MLContext(1);
        var data = CsvSource.Load(context, _files.Options("--data", path, "--label", "label"));

        var labelled = data.Label.BuildEstimator(context).Fit(data.Data).Transform(data.Data);
        var featurized = data.Features.BuildEstimator(context).Fit(labelled).Transform(labelled);

        var features = featurized.Schema[FeaturizationPlan.FeatureColumn].Type as Microsoft.ML.Data.VectorDataViewType;
        Assert.NotNull(features);
        Assert.True(features.Size > 1 + 3, "numeric + one-hot(3) + text features");
        Assert.Equal(Microsoft.ML.Data.BooleanDataViewType.Instance, featurized.Schema[LabelPlan.LabelColumn].Type);
        Assert.Equal("yes", data.Label.PositiveClass);
    }
}
