using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Tests.Conformance;

public class CatalogTests
{
    [Fact]
    public void CatalogMethods_TrainOnOwningContext_LogReachesItsLog()
    {
        var ml = new MLContext(1);
        var sources = new HashSet<string>();
        ml.Log += (_, e) => sources.Add(e.Source);
        ml.BinaryClassification.Trainers.AdamLogisticRegression(learningRate: 0.02f, numberOfEpochs: 3, batchSize: 64, l2Regularization: 0.5f).Fit(Synthetic.Binary(ml));
        ml.MulticlassClassification.Trainers.AdamMaximumEntropy(numberOfEpochs: 3).Fit(Synthetic.Multiclass(ml));
        Assert.Contains(nameof(AdamLogisticRegressionBinaryTrainer), sources);
        Assert.Contains(nameof(AdamMaximumEntropyMulticlassTrainer), sources);
    }

    [Fact]
    public void EnvironmentOf_CatalogOfThisMLNetVersion_FindsTheContextsEnvironment()
    {
        var ml = new MLContext(1);
        Assert.NotNull(CatalogEnvironment.TryGet(ml.BinaryClassification.Trainers));
        Assert.NotNull(CatalogEnvironment.TryGet(ml.MulticlassClassification.Trainers));
    }

    [Fact]
    public void EnvironmentOf_ObjectWithoutEnvironment_FallsBackToFreshContext()
    {
        // What a future ML.NET that renames the internal property would look like to the lookup.
        var fallback = CatalogEnvironment.Of(new object());
        Assert.IsType<MLContext>(fallback);
        var trainer = new AdamLogisticRegressionBinaryTrainer(new MLContext(2), new() { NumberOfEpochs = 2 });
        Assert.NotNull(trainer.Fit(Synthetic.Binary(new MLContext(2))));
    }

    [Fact]
    public void EnvironmentOf_PropertyThatThrows_FallsBackToFreshContext() =>
        Assert.IsType<MLContext>(CatalogEnvironment.Of(new ThrowingCatalog()));

    [Fact]
    public void CatalogOptionsOverload_UsesEveryOption()
    {
        var ml = new MLContext(1);
        var options = new AdamMaximumEntropyMulticlassTrainer.Options { NumberOfEpochs = 2, ConvergenceTolerance = 0, BatchSize = 50 };
        var trainer = ml.MulticlassClassification.Trainers.AdamMaximumEntropy(options);
        var summary = trainer.FitDetailed(Synthetic.Multiclass(ml, rows: 200)).Summary;
        Assert.Equal(2, summary.Epochs);
        Assert.Equal(8, summary.History[^1].Steps);
    }

    private sealed class ThrowingCatalog
    {
        public IHostEnvironment Environment => throw new InvalidOperationException("gone");
    }
}
