using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNet.Adam.Data;
using MLNet.Adam.ModelFiles;
using MLNet.Adam.Training;

namespace MLNet.Adam.Trainers;

/// <summary>
/// Multiclass softmax (maximum-entropy) regression trained with mini-batch Adam, streamed from any
/// <see cref="IDataView"/>. A drop-in alternative to <c>LbfgsMaximumEntropy</c> and <c>SdcaMaximumEntropy</c>:
/// the label is a key column (class i is key value i+1) and <c>Fit</c> returns ML.NET's own
/// <see cref="MaximumEntropyModelParameters"/>, which saves and loads as an ordinary ML.NET zip.
/// </summary>
public sealed class AdamMaximumEntropyMulticlassTrainer
    : AdamTrainerBase<MulticlassPredictionTransformer<MaximumEntropyModelParameters>, MaximumEntropyModelParameters>
{
    /// <summary>Creates the trainer; training messages go to <paramref name="context"/>'s <see cref="MLContext.Log"/>.</summary>
    public AdamMaximumEntropyMulticlassTrainer(MLContext context, Options? options = null)
        : this((IHostEnvironment)(context ?? throw new ArgumentNullException(nameof(context))), options ?? new Options())
    {
    }

    internal AdamMaximumEntropyMulticlassTrainer(IHostEnvironment environment, Options options)
        : base(environment, options ?? throw new ArgumentNullException(nameof(options)), nameof(AdamMaximumEntropyMulticlassTrainer))
    {
    }

    private protected override LabelKind LabelKind => LabelKind.Key;

    /// <summary>
    /// Warm start from an ML.NET maximum-entropy model (trained by L-BFGS, SDCA or this trainer) with the same
    /// number of features and classes. The Adam moments start fresh; to continue a run exactly use a <see cref="TrainingCheckpoint"/>.
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="initialModelParameters">The model to start from; its feature and class counts must match the data's.</param>
    public MulticlassPredictionTransformer<MaximumEntropyModelParameters> Fit(IDataView trainData, MaximumEntropyModelParameters initialModelParameters) =>
        FitDetailed(trainData, initialModelParameters).Model;

    /// <summary>As <see cref="Fit(IDataView, MaximumEntropyModelParameters)"/>, and returns the run's summary and checkpoint with the model.</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="initialModelParameters">The model to start from; its feature and class counts must match the data's.</param>
    public AdamFitResult<MulticlassPredictionTransformer<MaximumEntropyModelParameters>> FitDetailed(
        IDataView trainData, MaximumEntropyModelParameters initialModelParameters)
    {
        ArgumentNullException.ThrowIfNull(initialModelParameters);
        VBuffer<float>[] weights = default!;
        initialModelParameters.GetWeights(ref weights, out int classCount);
        var biases = initialModelParameters.GetBiases().ToArray();
        int features = weights.Length > 0 ? weights[0].Length : 0;
        var parameters = new float[(classCount * features) + classCount];
        for (int c = 0; c < classCount; c++)
        {
            var row = weights[c];
            var target = parameters.AsSpan(c * features, features);
            if (row.IsDense)
            {
                row.GetValues().CopyTo(target);
            }
            else
            {
                var indices = row.GetIndices();
                var values = row.GetValues();
                for (int i = 0; i < indices.Length; i++)
                {
                    target[indices[i]] = values[i];
                }
            }

            parameters[(classCount * features) + c] = biases[c];
        }

        return Train(trainData, null, new TrainingStart(parameters, null));
    }

    /// <summary>The output schema: the same as ML.NET's L-BFGS maximum entropy with the same columns (Score, PredictedLabel).</summary>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        new MLContext().MulticlassClassification.Trainers
            .LbfgsMaximumEntropy(Settings.LabelColumnName, Settings.FeatureColumnName, Settings.ExampleWeightColumnName)
            .GetOutputSchema(inputSchema);

    private protected override MulticlassPredictionTransformer<MaximumEntropyModelParameters> CreateTransformer(
        DataViewSchema trainingSchema, TrainingColumns columns, TrainingResult result)
    {
        int f = columns.FeatureCount, k = columns.ClassCount;
        var parameters = result.Parameters;
        return LinearModelFile.CreateMulticlass(
            LoadContext, trainingSchema, columns.Features.Name, columns.Label.Name, f, k,
            parameters.AsSpan(0, f * k), parameters.AsSpan(f * k, k), MulticlassLabelNames.FromKeyValues(trainingSchema, columns.Label.Name, k));
    }

    /// <summary>Options of <see cref="AdamMaximumEntropyMulticlassTrainer"/>. The label column must be a key type.</summary>
    public sealed class Options : AdamTrainerOptionsBase
    {
    }
}
