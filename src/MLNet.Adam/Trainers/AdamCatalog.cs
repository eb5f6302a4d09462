using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Trainers;

namespace MLNet.Adam;

/// <summary>
/// Catalog extension methods: <c>mlContext.BinaryClassification.Trainers.AdamLogisticRegression(...)</c> and
/// <c>mlContext.MulticlassClassification.Trainers.AdamMaximumEntropy(...)</c>, shaped like ML.NET's own
/// <c>LbfgsLogisticRegression</c> / <c>LbfgsMaximumEntropy</c> methods. Unset (null) arguments keep the defaults in
/// <see cref="AdamTrainerDefaults"/>.
/// </summary>
public static class AdamCatalog
{
    /// <summary>Creates an <see cref="AdamLogisticRegressionBinaryTrainer"/>.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column (<see cref="bool"/>).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of <see cref="float"/>).</param>
    /// <param name="exampleWeightColumnName">The optional example weight column.</param>
    /// <param name="learningRate">Initial learning rate.</param>
    /// <param name="numberOfEpochs">Maximum number of passes over the data (training stops earlier on convergence).</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="l2Regularization">L2 weight on the summed loss (ML.NET's L-BFGS meaning).</param>
    public static AdamLogisticRegressionBinaryTrainer AdamLogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = AdamTrainerDefaults.LabelColumnName,
        string featureColumnName = AdamTrainerDefaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        float? learningRate = null,
        int? numberOfEpochs = null,
        int? batchSize = null,
        float? l2Regularization = null)
    {
        var options = new AdamLogisticRegressionBinaryTrainer.Options();
        Apply(options, labelColumnName, featureColumnName, exampleWeightColumnName, learningRate, numberOfEpochs, batchSize, l2Regularization);
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
        return new AdamLogisticRegressionBinaryTrainer(AdamTrainerBase<ITransformer>.EnvironmentOf(catalog), options);
    }

    /// <summary>Creates an <see cref="AdamMaximumEntropyMulticlassTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column (key type).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of <see cref="float"/>).</param>
    /// <param name="exampleWeightColumnName">The optional example weight column.</param>
    /// <param name="learningRate">Initial learning rate.</param>
    /// <param name="numberOfEpochs">Maximum number of passes over the data (training stops earlier on convergence).</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="l2Regularization">L2 weight on the summed loss (ML.NET's L-BFGS meaning).</param>
    public static AdamMaximumEntropyMulticlassTrainer AdamMaximumEntropy(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = AdamTrainerDefaults.LabelColumnName,
        string featureColumnName = AdamTrainerDefaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        float? learningRate = null,
        int? numberOfEpochs = null,
        int? batchSize = null,
        float? l2Regularization = null)
    {
        var options = new AdamMaximumEntropyMulticlassTrainer.Options();
        Apply(options, labelColumnName, featureColumnName, exampleWeightColumnName, learningRate, numberOfEpochs, batchSize, l2Regularization);
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
        return new AdamMaximumEntropyMulticlassTrainer(AdamTrainerBase<ITransformer>.EnvironmentOf(catalog), options);
    }

    private static void Apply(
        AdamTrainerOptionsBase options, string labelColumnName, string featureColumnName, string? exampleWeightColumnName,
        float? learningRate, int? numberOfEpochs, int? batchSize, float? l2Regularization)
    {
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.ExampleWeightColumnName = exampleWeightColumnName;
        options.LearningRate = learningRate ?? options.LearningRate;
        options.NumberOfEpochs = numberOfEpochs ?? options.NumberOfEpochs;
        options.BatchSize = batchSize ?? options.BatchSize;
        options.L2Regularization = l2Regularization ?? options.L2Regularization;
    }
}
