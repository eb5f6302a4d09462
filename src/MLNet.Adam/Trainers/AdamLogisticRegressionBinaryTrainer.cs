using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNet.Adam.Data;
using MLNet.Adam.ModelFiles;
using MLNet.Adam.Training;

namespace MLNet.Adam.Trainers;

/// <summary>
/// Binary logistic regression trained with mini-batch Adam, streamed from any <see cref="IDataView"/>. A drop-in
/// alternative to <c>SdcaLogisticRegression</c> and <c>LbfgsLogisticRegression</c>: <c>Fit</c> returns ML.NET's own
/// calibrated linear model (probability = sigmoid(score)), which saves and loads as an ordinary ML.NET zip.
/// </summary>
public sealed class AdamLogisticRegressionBinaryTrainer
    : AdamTrainerBase<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>,
        CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>
{
    /// <summary>Creates the trainer; training messages go to <paramref name="context"/>'s <see cref="MLContext.Log"/>.</summary>
    public AdamLogisticRegressionBinaryTrainer(MLContext context, Options? options = null)
        : this((IHostEnvironment)(context ?? throw new ArgumentNullException(nameof(context))), options ?? new Options())
    {
    }

    internal AdamLogisticRegressionBinaryTrainer(IHostEnvironment environment, Options options)
        : base(environment, options ?? throw new ArgumentNullException(nameof(options)), nameof(AdamLogisticRegressionBinaryTrainer))
    {
    }

    private protected override LabelKind LabelKind => LabelKind.Boolean;

    /// <summary>
    /// Warm start: trains from the weights of an ML.NET linear binary model (trained by SDCA, L-BFGS, SGD or this
    /// trainer) instead of zeros. The Adam moments start fresh; to continue a run exactly use a <see cref="TrainingCheckpoint"/>.
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="initialModelParameters">The model to start from; its feature count must match the data's.</param>
    public BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> Fit(
        IDataView trainData, LinearModelParameters initialModelParameters) => FitDetailed(trainData, initialModelParameters).Model;

    /// <summary>As <see cref="Fit(IDataView, LinearModelParameters)"/>, and returns the run's summary and checkpoint with the model.</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="initialModelParameters">The model to start from; its feature count must match the data's.</param>
    public AdamFitResult<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>> FitDetailed(
        IDataView trainData, LinearModelParameters initialModelParameters)
    {
        ArgumentNullException.ThrowIfNull(initialModelParameters);
        var weights = initialModelParameters.Weights;
        var parameters = new float[weights.Count + 1];
        for (int i = 0; i < weights.Count; i++)
        {
            parameters[i] = weights[i];
        }

        parameters[^1] = initialModelParameters.Bias;
        return Train(trainData, null, new TrainingStart(parameters, null));
    }

    /// <summary>The output schema: the same as ML.NET's L-BFGS logistic regression with the same columns (Score, Probability, PredictedLabel).</summary>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        new MLContext().BinaryClassification.Trainers
            .LbfgsLogisticRegression(Settings.LabelColumnName, Settings.FeatureColumnName, Settings.ExampleWeightColumnName)
            .GetOutputSchema(inputSchema);

    private protected override BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> CreateTransformer(
        DataViewSchema trainingSchema, TrainingColumns columns, TrainingResult result)
    {
        var parameters = result.Parameters;
        return LinearModelFile.CreateBinary(LoadContext, trainingSchema, columns.Features.Name, parameters.AsSpan(0, columns.FeatureCount), parameters[columns.FeatureCount]);
    }

    /// <summary>Options of <see cref="AdamLogisticRegressionBinaryTrainer"/>. The label column must be <see cref="bool"/>.</summary>
    public sealed class Options : AdamTrainerOptionsBase
    {
    }
}
