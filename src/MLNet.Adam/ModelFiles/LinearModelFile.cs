using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNet.Adam.ModelFiles;

/// <summary>
/// Writes learned linear weights as ML.NET model zips and reads them back through the public
/// <see cref="ModelOperationsCatalog.Load(Stream, out DataViewSchema)"/>, so that our trainers return ML.NET's own
/// transformer and model-parameter types. The zips hold the same entries, byte for byte, as
/// <see cref="ModelOperationsCatalog.Save(ITransformer, DataViewSchema, Stream)"/> writes for a stock model with
/// the same weights, with the training schema doubling as the input schema.
/// </summary>
internal static class LinearModelFile
{
    /// <summary>Name of the score column the transformers produce.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>Name of the predicted-label column the multiclass transformer produces.</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    /// <summary>
    /// Writes a calibrated linear binary classifier: score = w·x + b, probability = 1 / (1 + exp(-score))
    /// (a Platt calibrator with slope -1 and offset 0, as ML.NET's logistic regression), predicted label = score &gt; 0.
    /// </summary>
    /// <param name="output">Receives the zip; stays open.</param>
    /// <param name="trainingSchema">Schema of the training data; stored as the transformer's training schema and as the input schema.</param>
    /// <param name="featureColumnName">A known-size <see cref="float"/> vector column of <paramref name="trainingSchema"/>.</param>
    /// <param name="weights">One weight per feature slot.</param>
    /// <param name="bias">The intercept.</param>
    /// <param name="compression">Of the zip entries: ML.NET's own for files, none for a zip only read back from memory.</param>
    public static void WriteBinary(
        Stream output, DataViewSchema trainingSchema, string featureColumnName, ReadOnlySpan<float> weights, float bias, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ModelFileArguments.CheckOutput(output);
        ModelFileArguments.CheckFeatureColumn(trainingSchema, featureColumnName, weights.Length);
        ModelFileArguments.CheckFinite(weights, nameof(weights));
        ModelFileArguments.CheckFinite([bias], nameof(bias));

        var archive = new ModelArchive();
        BinaryModelEntries.AddTo(archive, new MLContext(), trainingSchema, featureColumnName, weights, bias,
            plattSlope: -1, plattOffset: 0, threshold: 0, thresholdColumnName: ScoreColumnName);
        archive.WriteTo(output, compression);
    }

    /// <summary>
    /// Writes a softmax (maximum-entropy) classifier: score = softmax(W x + b); class k of the model is key value
    /// k + 1 of the label column.
    /// </summary>
    /// <param name="output">Receives the zip; stays open.</param>
    /// <param name="trainingSchema">Schema of the training data, including the label column with its key values.</param>
    /// <param name="featureColumnName">A <see cref="float"/> vector column of <paramref name="featureCount"/> slots.</param>
    /// <param name="labelColumnName">A key column with <paramref name="classCount"/> values.</param>
    /// <param name="featureCount">F, the number of feature slots.</param>
    /// <param name="classCount">K, the number of classes.</param>
    /// <param name="classMajorWeights">K rows of F weights.</param>
    /// <param name="biases">K intercepts.</param>
    /// <param name="labelNames">K distinct non-empty class names for the model summary, or <see langword="null"/>;
    /// see <see cref="MulticlassLabelNames.FromKeyValues"/> for the names ML.NET's own trainer stores.</param>
    /// <param name="compression">Of the zip entries: ML.NET's own for files, none for a zip only read back from memory.</param>
    public static void WriteMulticlass(
        Stream output,
        DataViewSchema trainingSchema,
        string featureColumnName,
        string labelColumnName,
        int featureCount,
        int classCount,
        ReadOnlySpan<float> classMajorWeights,
        ReadOnlySpan<float> biases,
        IReadOnlyList<string>? labelNames,
        CompressionLevel compression = CompressionLevel.Optimal)
    {
        ModelFileArguments.CheckOutput(output);
        ModelFileArguments.CheckShape(featureCount, classCount, classMajorWeights.Length, biases.Length);
        ModelFileArguments.CheckFeatureColumn(trainingSchema, featureColumnName, featureCount);
        ModelFileArguments.CheckKeyLabelColumn(trainingSchema, labelColumnName, classCount);
        ModelFileArguments.CheckFinite(classMajorWeights, nameof(classMajorWeights));
        ModelFileArguments.CheckFinite(biases, nameof(biases));
        ModelFileArguments.CheckLabelNames(labelNames, classCount);

        var archive = new ModelArchive();
        MulticlassModelEntries.AddTo(archive, new MLContext(), trainingSchema, featureColumnName, labelColumnName,
            ScoreColumnName, PredictedLabelColumnName, featureCount, classCount, classMajorWeights, biases, labelNames);
        archive.WriteTo(output, compression);
    }

    /// <summary>Loads a zip written by <see cref="WriteBinary"/> (or saved by ML.NET from an equivalent model).</summary>
    /// <exception cref="InvalidOperationException">The zip holds some other transformer.</exception>
    public static BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> LoadBinary(
        MLContext mlContext, Stream input)
        => Load<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>>(mlContext, input);

    /// <summary>Loads a zip written by <see cref="WriteMulticlass"/> (or saved by ML.NET from an equivalent model).</summary>
    /// <exception cref="InvalidOperationException">The zip holds some other transformer.</exception>
    public static MulticlassPredictionTransformer<MaximumEntropyModelParameters> LoadMulticlass(MLContext mlContext, Stream input)
        => Load<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>(mlContext, input);

    /// <summary>Writes the binary model to memory and loads it into <paramref name="mlContext"/>: what a trainer's Fit returns.</summary>
    public static BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> CreateBinary(
        MLContext mlContext, DataViewSchema trainingSchema, string featureColumnName, ReadOnlySpan<float> weights, float bias)
    {
        using var buffer = new MemoryStream();
        WriteBinary(buffer, trainingSchema, featureColumnName, weights, bias, CompressionLevel.NoCompression);
        buffer.Position = 0;
        return LoadBinary(mlContext, buffer);
    }

    /// <summary>Writes the multiclass model to memory and loads it into <paramref name="mlContext"/>: what a trainer's Fit returns.</summary>
    public static MulticlassPredictionTransformer<MaximumEntropyModelParameters> CreateMulticlass(
        MLContext mlContext,
        DataViewSchema trainingSchema,
        string featureColumnName,
        string labelColumnName,
        int featureCount,
        int classCount,
        ReadOnlySpan<float> classMajorWeights,
        ReadOnlySpan<float> biases,
        IReadOnlyList<string>? labelNames)
    {
        using var buffer = new MemoryStream();
        WriteMulticlass(buffer, trainingSchema, featureColumnName, labelColumnName, featureCount, classCount,
            classMajorWeights, biases, labelNames, CompressionLevel.NoCompression);
        buffer.Position = 0;
        return LoadMulticlass(mlContext, buffer);
    }

    private static TTransformer Load<TTransformer>(MLContext mlContext, Stream input)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(input);
        ITransformer loaded = mlContext.Model.Load(input, out _);
        return loaded as TTransformer
            ?? throw new InvalidOperationException(
                $"The model file holds a '{loaded.GetType()}', expected a '{typeof(TTransformer)}'.");
    }
}
