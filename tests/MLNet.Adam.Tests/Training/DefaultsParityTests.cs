using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Training;

/// <summary>
/// Issue 12's gates on public data, default options on every side (the pipelines are what a user writes for ML.NET's
/// own trainers): Adam's test or cross-validated log-loss at most min(SDCA, L-BFGS) + 0.01 and accuracy at least
/// max(SDCA, L-BFGS) - 1 point (<see cref="ParityGate"/>). Skipped with the install command when a data set is absent.
/// The two slow gates have classes of their own (<see cref="FashionMnistParityTests"/>, <see cref="GitHubLabelerParityTests"/>)
/// so that xunit runs them beside each other and beside this class instead of one after the other.
/// </summary>
public class DefaultsParityTests
{
    internal const int Seed = 1;
    private const double TestFraction = 0.2;
    private readonly ITestOutputHelper _output;

    public DefaultsParityTests(ITestOutputHelper output) => _output = output;

    [RequiresDataFact("sklearn")]
    public void AdamLogisticRegression_BreastCancer_WithinGateOfSdcaAndLbfgs()
    {
        var ml = new MLContext(Seed);
        var (rows, _) = RealData.ReadSklearnCsv("breast_cancer.csv");
        var (train, test, trainRows) = NormalizedSplit(ml, RealData.ToBinaryView(ml, rows, rows[0].Features.Length));
        ParityGate.Check(
            _output, $"breast cancer ({rows.Count} x {rows[0].Features.Length}, NormalizeMeanVariance; {trainRows} training rows, 80/20 split)",
            Binary(ml, ml.BinaryClassification.Trainers.SdcaLogisticRegression(), train, test),
            Binary(ml, ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), train, test),
            Binary(ml, ml.BinaryClassification.Trainers.AdamLogisticRegression(), train, test));
    }

    [RequiresDataFact("iris")]
    public void AdamMaximumEntropy_Iris_WithinGateOfSdcaAndLbfgs() => SklearnMulticlass("iris.csv", "iris");

    [RequiresDataFact("adult")]
    public void AdamLogisticRegression_Adult_WithinGateOfSdcaAndLbfgs()
    {
        var ml = new MLContext(Seed);
        var split = ml.Data.TrainTestSplit(RealData.LoadAdult(ml), TestFraction, seed: Seed);
        var featurizer = RealData.AdultFeaturization(ml).Fit(split.TrainSet);
        var train = ml.Data.Cache(featurizer.Transform(split.TrainSet));
        var test = featurizer.Transform(split.TestSet);
        int features = FeatureCount(train);
        ParityGate.Check(
            _output, $"UCI Adult (OneHotEncoding of 8 text columns + NormalizeMeanVariance: {Count(train)} x {features} training rows, 80/20 split)",
            Binary(ml, ml.BinaryClassification.Trainers.SdcaLogisticRegression(), train, test),
            Binary(ml, ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), train, test),
            Binary(ml, ml.BinaryClassification.Trainers.AdamLogisticRegression(), train, test));
    }

    private void SklearnMulticlass(string fileName, string name)
    {
        var ml = new MLContext(Seed);
        var (rows, names) = RealData.ReadSklearnCsv(fileName);
        var (train, test, trainRows) = NormalizedSplit(ml, RealData.ToMulticlassView(ml, rows, rows[0].Features.Length, names));
        ParityGate.Check(
            _output, $"{name} ({rows.Count} x {rows[0].Features.Length}, {names.Length} classes, NormalizeMeanVariance; {trainRows} training rows, 80/20 split)",
            Multiclass(ml, ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(), train, test),
            Multiclass(ml, ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), train, test),
            Multiclass(ml, ml.MulticlassClassification.Trainers.AdamMaximumEntropy(), train, test));
    }

    /// <summary>Fits and scores on the test set; a model whose test scores are not all finite gets log-loss NaN (diverged), whatever the evaluator says.</summary>
    internal static ParityScore Binary(MLContext ml, IEstimator<ITransformer> trainer, IDataView train, IDataView test)
    {
        var scored = trainer.Fit(train).Transform(test);
        var metrics = ml.BinaryClassification.Evaluate(scored);
        return new ParityScore(metrics.Accuracy, AllFinite(scored, "Score") && AllFinite(scored, "Probability") ? metrics.LogLoss : double.NaN);
    }

    /// <summary>As <see cref="Binary"/>, for multiclass trainers: micro accuracy, log-loss, macro accuracy.</summary>
    internal static ParityScore Multiclass(MLContext ml, IEstimator<ITransformer> trainer, IDataView train, IDataView test)
    {
        var scored = trainer.Fit(train).Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        return new ParityScore(metrics.MicroAccuracy, AllFinite(scored, "Score") ? metrics.LogLoss : double.NaN, metrics.MacroAccuracy);
    }

    private static bool AllFinite(IDataView scored, string column)
    {
        var schemaColumn = scored.Schema[column];
        using var cursor = scored.GetRowCursor([schemaColumn]);
        if (schemaColumn.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(schemaColumn);
            VBuffer<float> vector = default;
            while (cursor.MoveNext())
            {
                getter(ref vector);
                foreach (float value in vector.GetValues())
                {
                    if (!float.IsFinite(value))
                    {
                        return false;
                    }
                }
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(schemaColumn);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (!float.IsFinite(value))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static (IDataView Train, IDataView Test, long TrainRows) NormalizedSplit(MLContext ml, IDataView data)
    {
        var split = ml.Data.TrainTestSplit(data, TestFraction, seed: Seed);
        var normalizer = ml.Transforms.NormalizeMeanVariance("Features").Fit(split.TrainSet);
        var train = ml.Data.Cache(normalizer.Transform(split.TrainSet));
        return (train, normalizer.Transform(split.TestSet), Count(train));
    }

    internal static long Count(IDataView data)
    {
        long rows = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }

    private static int FeatureCount(IDataView data) => ((VectorDataViewType)data.Schema["Features"].Type).Size;
}
