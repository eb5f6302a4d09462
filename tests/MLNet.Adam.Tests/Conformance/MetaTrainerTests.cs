using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Tests.ModelFiles;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Conformance;

/// <summary>
/// Our binary trainer inside ML.NET's own multiclass meta-trainers (OneVersusAll, PairwiseCoupling): it compiles
/// without type arguments, trains, evaluates, and the saved model loads in a program that references only Microsoft.ML.
/// </summary>
public sealed class MetaTrainerTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mlnet-adam-meta-");

    public MetaTrainerTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void Info_BothTrainers_NoNormalizationNoCaching()
    {
        var ml = new MLContext(1);
        TrainerInfo binary = ml.BinaryClassification.Trainers.AdamLogisticRegression().Info;
        TrainerInfo multiclass = ml.MulticlassClassification.Trainers.AdamMaximumEntropy().Info;
        foreach (var info in new[] { binary, multiclass })
        {
            Assert.False(info.NeedNormalization);
            Assert.False(info.WantCaching);

            // ML.NET-internal flag (reflection as a test oracle only): ML.NET must not add a calibrator to our calibrated model.
            Assert.False((bool)typeof(TrainerInfo).GetProperty("NeedCalibration", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(info)!);
        }
    }

    [Fact]
    public void OneVersusAll_OverAdamLogisticRegression_TrainsEvaluatesAndLoadsInMicrosoftMLOnlyConsumer()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Multiclass(ml, rows: 400, features: 5, classes: 3);
        var estimator = ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.AdamLogisticRegression());
        var model = estimator.Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
        var stock = ml.MulticlassClassification.Evaluate(
            ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(data).Transform(data));
        _output.WriteLine($"OneVersusAll accuracy {metrics.MicroAccuracy:F4}, log-loss {metrics.LogLoss:F4}; over L-BFGS {stock.MicroAccuracy:F4}, {stock.LogLoss:F4}");
        Assert.True(metrics.MicroAccuracy >= stock.MicroAccuracy - 0.02, $"accuracy {metrics.MicroAccuracy:F4} vs {stock.MicroAccuracy:F4} over L-BFGS");
        Assert.True(double.IsFinite(metrics.LogLoss));

        CheckSavedModelLoadsOutOfProcess(ml, model, data);
    }

    [Fact]
    public void PairwiseCoupling_OverAdamLogisticRegression_TrainsEvaluatesAndLoadsInMicrosoftMLOnlyConsumer()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Multiclass(ml, rows: 400, features: 5, classes: 3);
        var estimator = ml.MulticlassClassification.Trainers.PairwiseCoupling(ml.BinaryClassification.Trainers.AdamLogisticRegression());
        var model = estimator.Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
        var stock = ml.MulticlassClassification.Evaluate(
            ml.MulticlassClassification.Trainers.PairwiseCoupling(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(data).Transform(data));
        _output.WriteLine($"PairwiseCoupling accuracy {metrics.MicroAccuracy:F4}, log-loss {metrics.LogLoss:F4}; over L-BFGS {stock.MicroAccuracy:F4}, {stock.LogLoss:F4}");
        Assert.True(metrics.MicroAccuracy >= stock.MicroAccuracy - 0.02, $"accuracy {metrics.MicroAccuracy:F4} vs {stock.MicroAccuracy:F4} over L-BFGS");

        CheckSavedModelLoadsOutOfProcess(ml, model, data);
    }

    [RequiresDataFact("sklearn")]
    public void OneVersusAll_Wine_AtLeastAsAccurateAsOverLbfgs()
    {
        var ml = new MLContext(1);
        var (rows, names) = RealData.ReadSklearnCsv("wine_data.csv");
        var split = ml.Data.TrainTestSplit(RealData.ToMulticlassView(ml, rows, rows[0].Features.Length, names), testFraction: 0.3, seed: 3);
        var normalizer = ml.Transforms.NormalizeMeanVariance("Features").Fit(split.TrainSet);
        var train = ml.Data.Cache(normalizer.Transform(split.TrainSet));
        var test = normalizer.Transform(split.TestSet);

        var stock = ml.MulticlassClassification.Evaluate(
            ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(train).Transform(test));
        var ours = ml.MulticlassClassification.Evaluate(
            ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.AdamLogisticRegression()).Fit(train).Transform(test));
        _output.WriteLine($"wine, OneVersusAll: L-BFGS accuracy {stock.MicroAccuracy:F4} log-loss {stock.LogLoss:F4}; Adam accuracy {ours.MicroAccuracy:F4} log-loss {ours.LogLoss:F4}");
        Assert.True(ours.MicroAccuracy >= stock.MicroAccuracy, $"Adam {ours.MicroAccuracy:F4} < L-BFGS {stock.MicroAccuracy:F4}");
    }

    [RequiresDataFact("fashion-mnist")]
    [Trait("Category", "Slow")]
    public void OneVersusAll_FashionMnistSubset_AtLeastAsAccurateAsOverLbfgs()
    {
        // 10,000 training images (the first ones of the training file) keep ten L-BFGS fits short; all 10,000 test images.
        var ml = new MLContext(1);
        string[] names = Enumerable.Range(0, 10).Select(i => $"class{i}").ToArray();
        var train = ml.Data.Cache(RealData.ToMulticlassView(ml, RealData.ReadFashionMnist(train: true, limit: 10_000), 784, names));
        var test = RealData.ToMulticlassView(ml, RealData.ReadFashionMnist(train: false), 784, names);

        var stock = ml.MulticlassClassification.Evaluate(
            ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(train).Transform(test));
        var ours = ml.MulticlassClassification.Evaluate(
            ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.AdamLogisticRegression()).Fit(train).Transform(test));
        _output.WriteLine($"Fashion-MNIST 10k, OneVersusAll: L-BFGS accuracy {stock.MicroAccuracy:F4} log-loss {stock.LogLoss:F4}; Adam accuracy {ours.MicroAccuracy:F4} log-loss {ours.LogLoss:F4}");
        Assert.True(ours.MicroAccuracy >= stock.MicroAccuracy, $"Adam {ours.MicroAccuracy:F4} < L-BFGS {stock.MicroAccuracy:F4}");
    }

    private void CheckSavedModelLoadsOutOfProcess(MLContext ml, ITransformer model, IDataView data)
    {
        string modelPath = Path.Combine(_work.FullName, "model.zip");
        ml.Model.Save(model, data.Schema, modelPath);
        string dataPath = Path.Combine(_work.FullName, "data.idv");
        using (var stream = File.Create(dataPath))
        {
            ml.Data.SaveAsBinary(data, stream);
        }

        string outputPath = Path.Combine(_work.FullName, "predictions.tsv");
        LoadCheckRunner.Run(modelPath, dataPath, outputPath);

        var loaded = ml.Model.Load(modelPath, out _);
        var scored = loaded.Transform(data);
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        var expected = new List<string> { "Score\tPredictedLabel" };
        expected.AddRange(scores.Select((s, i) => $"{string.Join(",", s.Select(Format))}\t{predicted[i].ToString(CultureInfo.InvariantCulture)}"));
        Assert.Equal(expected, File.ReadAllLines(outputPath));

        // And the loaded model predicts what the trained one does.
        Assert.Equal(model.Transform(data).GetColumn<uint>("PredictedLabel"), predicted);
    }

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
