using Microsoft.ML;
using MLNet.Adam.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Training;

/// <summary>
/// With default options our trainers match ML.NET's L-BFGS defaults on real data, small (hundreds of rows, tens of
/// features, after NormalizeMeanVariance) and large (Fashion-MNIST, 60,000 x 784): test accuracy within 1.5 points and
/// log-loss within 0.03 (or better).
/// </summary>
public class DefaultsParityTests
{
    private const double AccuracyPoints = 0.015;
    private const double LogLossMargin = 0.03;
    private readonly ITestOutputHelper _output;

    public DefaultsParityTests(ITestOutputHelper output) => _output = output;

    [RequiresDataFact("sklearn")]
    public void AdamLogisticRegression_BreastCancer_MatchesLbfgs()
    {
        var ml = new MLContext(1);
        var (rows, _) = RealData.ReadSklearnCsv("breast_cancer.csv");
        var (train, test) = Prepare(ml, RealData.ToBinaryView(ml, rows, rows[0].Features.Length));
        var stock = ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(train).Transform(test));
        var ours = ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.AdamLogisticRegression().Fit(train).Transform(test));
        Compare(stock.Accuracy, stock.LogLoss, ours.Accuracy, ours.LogLoss);
    }

    [RequiresDataFact("sklearn")]
    public void AdamMaximumEntropy_Wine_MatchesLbfgs()
    {
        var ml = new MLContext(1);
        var (rows, names) = RealData.ReadSklearnCsv("wine_data.csv");
        var (train, test) = Prepare(ml, RealData.ToMulticlassView(ml, rows, rows[0].Features.Length, names));
        var stock = ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(train).Transform(test));
        var ours = ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.AdamMaximumEntropy().Fit(train).Transform(test));
        Compare(stock.MicroAccuracy, stock.LogLoss, ours.MicroAccuracy, ours.LogLoss);
    }

    [RequiresDataFact("fashion-mnist")]
    [Trait("Category", "Slow")]
    public void AdamMaximumEntropy_FashionMnist_MatchesLbfgs()
    {
        var ml = new MLContext(1);
        string[] names = Enumerable.Range(0, 10).Select(i => $"class{i}").ToArray();
        var train = ml.Data.Cache(RealData.ToMulticlassView(ml, RealData.ReadFashionMnist(train: true), 784, names));
        var test = RealData.ToMulticlassView(ml, RealData.ReadFashionMnist(train: false), 784, names);
        var ours = ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.AdamMaximumEntropy().Fit(train).Transform(test));
        var stock = ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(train).Transform(test));
        Compare(stock.MicroAccuracy, stock.LogLoss, ours.MicroAccuracy, ours.LogLoss);
    }

    private static (IDataView Train, IDataView Test) Prepare(MLContext ml, IDataView data)
    {
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 3);
        var normalizer = ml.Transforms.NormalizeMeanVariance("Features").Fit(split.TrainSet);
        return (ml.Data.Cache(normalizer.Transform(split.TrainSet)), normalizer.Transform(split.TestSet));
    }

    private void Compare(double stockAccuracy, double stockLogLoss, double accuracy, double logLoss)
    {
        _output.WriteLine($"L-BFGS accuracy {stockAccuracy:F4} log-loss {stockLogLoss:F4}; Adam accuracy {accuracy:F4} log-loss {logLoss:F4}");
        Assert.True(accuracy >= stockAccuracy - AccuracyPoints, $"Accuracy {accuracy:F4} is more than 1.5 points below L-BFGS's {stockAccuracy:F4}.");
        Assert.True(logLoss <= stockLogLoss + LogLossMargin, $"Log-loss {logLoss:F4} is more than {LogLossMargin} above L-BFGS's {stockLogLoss:F4}.");
    }
}
