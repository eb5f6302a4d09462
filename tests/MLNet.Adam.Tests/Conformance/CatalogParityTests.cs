using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Tests.Conformance;

/// <summary>
/// A call copied from ML.NET's L-BFGS catalog methods keeps its meaning: the same positional arguments set the same
/// options (label, features, weight, L1, L2, optimization tolerance).
/// </summary>
public class CatalogParityTests
{
    [Fact]
    public void AdamLogisticRegression_SamePositionalArgumentsAsLbfgs_SetTheSameOptions()
    {
        var ml = new MLContext(1);
        var lbfgs = ml.BinaryClassification.Trainers.LbfgsLogisticRegression("Target", "Inputs", "Importance", 0.25f, 3.5f, 1e-3f);
        var adam = ml.BinaryClassification.Trainers.AdamLogisticRegression("Target", "Inputs", "Importance", 0.25f, 3.5f, 1e-3f);
        AssertSameOptions(LbfgsOptions(lbfgs), adam.Settings);
    }

    [Fact]
    public void AdamMaximumEntropy_SamePositionalArgumentsAsLbfgs_SetTheSameOptions()
    {
        var ml = new MLContext(1);
        var lbfgs = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Target", "Inputs", "Importance", 0.25f, 3.5f, 1e-3f);
        var adam = ml.MulticlassClassification.Trainers.AdamMaximumEntropy("Target", "Inputs", "Importance", 0.25f, 3.5f, 1e-3f);
        AssertSameOptions(LbfgsOptions(lbfgs), adam.Settings);
    }

    [Fact]
    public void AdamCatalog_OwnParametersAfterLbfgsOnes_SetLearningRateEpochsAndBatch()
    {
        var ml = new MLContext(1);
        var adam = ml.BinaryClassification.Trainers.AdamLogisticRegression("Label", "Features", null, null, null, null, 0.05f, 7, 32);
        Assert.Equal(0.05f, adam.Settings.LearningRate);
        Assert.Equal(7, adam.Settings.NumberOfEpochs);
        Assert.Equal(32, adam.Settings.BatchSize);

        // Unset arguments keep the defaults: L2 and the tolerance null mean "chosen from the data".
        Assert.Null(adam.Settings.L2Regularization);
        Assert.Equal(AdamTrainerDefaults.L1Regularization, adam.Settings.L1Regularization);
        Assert.Null(adam.Settings.ConvergenceTolerance);
    }

    [Fact]
    public void AdamCatalog_LeadingParameterNames_AreLbfgsNamesInLbfgsOrder()
    {
        string[] Names(Type catalog, string method, Type options) => catalog.GetMethods()
            .Single(m => m.Name == method && m.GetParameters().All(p => p.ParameterType != options))
            .GetParameters().Skip(1).Select(p => p.Name!).ToArray();

        var lbfgs = Names(typeof(StandardTrainersCatalog), nameof(StandardTrainersCatalog.LbfgsLogisticRegression), typeof(LbfgsLogisticRegressionBinaryTrainer.Options));
        var adam = Names(typeof(AdamCatalog), nameof(AdamCatalog.AdamLogisticRegression), typeof(AdamLogisticRegressionBinaryTrainer.Options));
        Assert.Equal(lbfgs.Take(6), adam.Take(6));
        Assert.Equal(["learningRate", "numberOfEpochs", "batchSize"], adam.Skip(6));

        var lbfgsMulticlass = Names(typeof(StandardTrainersCatalog), nameof(StandardTrainersCatalog.LbfgsMaximumEntropy), typeof(LbfgsMaximumEntropyMulticlassTrainer.Options));
        var adamMulticlass = Names(typeof(AdamCatalog), nameof(AdamCatalog.AdamMaximumEntropy), typeof(AdamMaximumEntropyMulticlassTrainer.Options));
        Assert.Equal(lbfgsMulticlass.Take(6), adamMulticlass.Take(6));
        Assert.Equal(adam, adamMulticlass);
    }

    private static void AssertSameOptions(object expected, MLNet.Adam.Training.TrainingSettings actual)
    {
        Assert.Equal(Field<string>(expected, "LabelColumnName"), actual.LabelColumnName);
        Assert.Equal(Field<string>(expected, "FeatureColumnName"), actual.FeatureColumnName);
        Assert.Equal(Field<string>(expected, "ExampleWeightColumnName"), actual.ExampleWeightColumnName);
        Assert.Equal(Field<float>(expected, "L1Regularization"), actual.L1Regularization);
        Assert.Equal(Field<float>(expected, "L2Regularization"), actual.L2Regularization);
        Assert.Equal(Field<float>(expected, "OptimizationTolerance"), (float)actual.ConvergenceTolerance!.Value);
    }

    private static T Field<T>(object options, string name) => (T)options.GetType().GetField(name)!.GetValue(options)!;

    /// <summary>The options an ML.NET L-BFGS trainer was built with (a protected field: reflection as a test oracle).</summary>
    private static object LbfgsOptions(object trainer)
    {
        for (var type = trainer.GetType(); type is not null; type = type.BaseType)
        {
            var field = type.GetField("LbfgsTrainerOptions", BindingFlags.Instance | BindingFlags.NonPublic);
            if (field?.GetValue(trainer) is { } options)
            {
                return options;
            }
        }

        throw new InvalidOperationException("This ML.NET version's L-BFGS trainer no longer keeps its options in LbfgsTrainerOptions.");
    }
}
