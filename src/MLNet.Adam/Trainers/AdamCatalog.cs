using Microsoft.ML;
using MLNet.Adam.Trainers;

namespace MLNet.Adam;

/// <summary>
/// Catalog extension methods: <c>mlContext.BinaryClassification.Trainers.AdamLogisticRegression(...)</c> and
/// <c>mlContext.MulticlassClassification.Trainers.AdamMaximumEntropy(...)</c>. Their leading parameters are those of
/// ML.NET's <c>LbfgsLogisticRegression</c> / <c>LbfgsMaximumEntropy</c>, in the same order and with the same meaning
/// (label, features, example weight, L1, L2, optimization tolerance), so a call copied from L-BFGS keeps its meaning;
/// Adam's own parameters (learning rate, epochs, batch size) follow. Unset (null) arguments keep the defaults in
/// <see cref="AdamTrainerDefaults"/>.
/// </summary>
public static class AdamCatalog
{
    /// <summary>Creates an <see cref="AdamLogisticRegressionBinaryTrainer"/>.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column (<see cref="bool"/>).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of <see cref="float"/>).</param>
    /// <param name="exampleWeightColumnName">The optional example weight column.</param>
    /// <param name="l1Regularization">L1 weight on the summed loss (L-BFGS's meaning); applied as a proximal step, so weights become exactly zero.</param>
    /// <param name="l2Regularization">L2 weight on the summed loss (L-BFGS's meaning); null chooses it from the data.</param>
    /// <param name="optimizationTolerance">
    /// Relative improvement of the monitored loss below which training counts as converged (sets
    /// <see cref="AdamTrainerOptionsBase.ConvergenceTolerance"/>; L-BFGS's parameter of the same name plays this role).
    /// </param>
    /// <param name="learningRate">Initial learning rate; null chooses it from the data (see <see cref="AdamTrainerOptionsBase.LearningRate"/>).</param>
    /// <param name="numberOfEpochs">Maximum number of passes over the data (training stops earlier on convergence).</param>
    /// <param name="batchSize">Rows per mini-batch; null chooses it from the number of training rows.</param>
    public static AdamLogisticRegressionBinaryTrainer AdamLogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = AdamTrainerDefaults.LabelColumnName,
        string featureColumnName = AdamTrainerDefaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        float? l1Regularization = null,
        float? l2Regularization = null,
        float? optimizationTolerance = null,
        float? learningRate = null,
        int? numberOfEpochs = null,
        int? batchSize = null)
    {
        var options = new AdamLogisticRegressionBinaryTrainer.Options();
        Apply(options, labelColumnName, featureColumnName, exampleWeightColumnName, l1Regularization, l2Regularization, optimizationTolerance, learningRate, numberOfEpochs, batchSize);
        return catalog.AdamLogisticRegression(options);
    }

    /// <summary>Creates an <see cref="AdamLogisticRegressionBinaryTrainer"/> from options.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="options">All options.</param>
    public static AdamLogisticRegressionBinaryTrainer AdamLogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, AdamLogisticRegressionBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new AdamLogisticRegressionBinaryTrainer(CatalogEnvironment.Of(catalog), options);
    }

    /// <summary>Creates an <see cref="AdamMaximumEntropyMulticlassTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column (key type).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of <see cref="float"/>).</param>
    /// <param name="exampleWeightColumnName">The optional example weight column.</param>
    /// <param name="l1Regularization">L1 weight on the summed loss (L-BFGS's meaning); applied as a proximal step, so weights become exactly zero.</param>
    /// <param name="l2Regularization">L2 weight on the summed loss (L-BFGS's meaning); null chooses it from the data.</param>
    /// <param name="optimizationTolerance">
    /// Relative improvement of the monitored loss below which training counts as converged (sets
    /// <see cref="AdamTrainerOptionsBase.ConvergenceTolerance"/>; L-BFGS's parameter of the same name plays this role).
    /// </param>
    /// <param name="learningRate">Initial learning rate; null chooses it from the data (see <see cref="AdamTrainerOptionsBase.LearningRate"/>).</param>
    /// <param name="numberOfEpochs">Maximum number of passes over the data (training stops earlier on convergence).</param>
    /// <param name="batchSize">Rows per mini-batch; null chooses it from the number of training rows.</param>
    public static AdamMaximumEntropyMulticlassTrainer AdamMaximumEntropy(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = AdamTrainerDefaults.LabelColumnName,
        string featureColumnName = AdamTrainerDefaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        float? l1Regularization = null,
        float? l2Regularization = null,
        float? optimizationTolerance = null,
        float? learningRate = null,
        int? numberOfEpochs = null,
        int? batchSize = null)
    {
        var options = new AdamMaximumEntropyMulticlassTrainer.Options();
        Apply(options, labelColumnName, featureColumnName, exampleWeightColumnName, l1Regularization, l2Regularization, optimizationTolerance, learningRate, numberOfEpochs, batchSize);
        return catalog.AdamMaximumEntropy(options);
    }

    /// <summary>Creates an <see cref="AdamMaximumEntropyMulticlassTrainer"/> from options.</summary>
    /// <param name="catalog">The multiclass classification trainer catalog.</param>
    /// <param name="options">All options.</param>
    public static AdamMaximumEntropyMulticlassTrainer AdamMaximumEntropy(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, AdamMaximumEntropyMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new AdamMaximumEntropyMulticlassTrainer(CatalogEnvironment.Of(catalog), options);
    }

    private static void Apply(
        AdamTrainerOptionsBase options, string labelColumnName, string featureColumnName, string? exampleWeightColumnName,
        float? l1Regularization, float? l2Regularization, float? optimizationTolerance, float? learningRate, int? numberOfEpochs, int? batchSize)
    {
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.ExampleWeightColumnName = exampleWeightColumnName;
        options.L1Regularization = l1Regularization ?? options.L1Regularization;
        options.L2Regularization = l2Regularization ?? options.L2Regularization;
        options.ConvergenceTolerance = optimizationTolerance is { } tolerance ? tolerance : options.ConvergenceTolerance;
        options.LearningRate = learningRate ?? options.LearningRate;
        options.NumberOfEpochs = numberOfEpochs ?? options.NumberOfEpochs;
        options.BatchSize = batchSize ?? options.BatchSize;
    }
}
