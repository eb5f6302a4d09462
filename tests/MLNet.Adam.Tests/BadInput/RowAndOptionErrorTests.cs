using Microsoft.ML;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Tests.BadInput;

public class RowAndOptionErrorTests
{
    [Fact]
    public void Fit_NoRows_ThrowsNamingColumns()
    {
        var ml = new MLContext(1);
        var empty = Synthetic.BinaryView(ml, [], 3);
        var error = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.AdamLogisticRegression().Fit(empty));
        Assert.Contains("No usable training rows", error.Message);
        Assert.Contains("'Features'", error.Message);
    }

    [Fact]
    public void Fit_AllRowsNonFinite_ThrowsWithCounts()
    {
        var ml = new MLContext(1);
        var rows = Synthetic.BinaryRows(20, 3, 1);
        rows.ForEach(r => r.Features[1] = float.NaN);
        var error = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.AdamLogisticRegression().Fit(Synthetic.BinaryView(ml, rows, 3)));
        Assert.Contains("non-finite features 20", error.Message);
    }

    [Fact]
    public void Fit_SomeBadRows_SkipsCountsAndReports()
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        ml.Log += (_, e) => messages.Add(e.Message);
        var rows = Synthetic.MulticlassRows(300, 4, 3, 1);
        rows[3].Label = 99;
        rows[5].Label = 99;
        rows[7].Features[0] = float.PositiveInfinity;
        rows[9].Weight = -1;
        rows[11].Weight = float.NaN;
        var trainer = ml.MulticlassClassification.Trainers.AdamMaximumEntropy(new AdamMaximumEntropyMulticlassTrainer.Options { ExampleWeightColumnName = "Weight" });
        var counts = trainer.FitDetailed(Synthetic.MulticlassView(ml, rows, 4, 3)).Summary.TrainingRows;
        Assert.True(counts.Used == 295, counts.ToString());
        Assert.Equal(300, counts.Read);
        Assert.Equal(295, counts.Used);
        Assert.Equal(2, counts.SkippedMissingLabel);
        Assert.Equal(1, counts.SkippedNonFiniteFeatures);
        Assert.Equal(2, counts.SkippedInvalidWeight);
        Assert.Contains(messages, m => m.Contains("Skipped 5 of 300 rows", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("LearningRate")]
    [InlineData("BatchSize")]
    [InlineData("NumberOfEpochs")]
    [InlineData("L2Regularization")]
    [InlineData("Beta1")]
    [InlineData("NumberOfThreads")]
    [InlineData("ValidationFraction")]
    public void Constructor_InvalidOption_ThrowsNamingIt(string option)
    {
        var options = new AdamLogisticRegressionBinaryTrainer.Options();
        switch (option)
        {
            case "LearningRate": options.LearningRate = -1; break;
            case "BatchSize": options.BatchSize = 0; break;
            case "NumberOfEpochs": options.NumberOfEpochs = 0; break;
            case "L2Regularization": options.L2Regularization = float.NaN; break;
            case "Beta1": options.Beta1 = 1; break;
            case "NumberOfThreads": options.NumberOfThreads = 0; break;
            default: options.ValidationFraction = 1.5f; break;
        }

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamLogisticRegressionBinaryTrainer(new MLContext(), options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message);
    }
}
