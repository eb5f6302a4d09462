using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Tests.Conformance;

/// <summary>One of our trainers with matching data and evaluation, so conformance tests run for both.</summary>
public sealed class TrainerCase
{
    private TrainerCase(string name) => Name = name;

    public string Name { get; }

    public required Func<MLContext, Action<AdamTrainerOptionsBase>?, IEstimator<ITransformer>> Create { get; init; }

    public required Func<MLContext, IDataView> Data { get; init; }

    public required Func<MLContext, IDataView, double> Accuracy { get; init; }

    public required Func<MLContext, IDataView, IEstimator<ITransformer>, int> CrossValidateFolds { get; init; }

    public required Func<MLContext, IEstimator<ITransformer>> Stock { get; init; }

    public required Func<ITransformer, float[]> Weights { get; init; }

    public static TrainerCase Binary { get; } = new("binary")
    {
        Create = (ml, configure) =>
        {
            var options = new AdamLogisticRegressionBinaryTrainer.Options { ExampleWeightColumnName = null };
            configure?.Invoke(options);
            return (IEstimator<ITransformer>)new AdamLogisticRegressionBinaryTrainer(ml, options);
        },
        Data = ml => Synthetic.Binary(ml),
        Accuracy = (ml, scored) => ml.BinaryClassification.Evaluate(scored).Accuracy,
        CrossValidateFolds = (ml, data, estimator) => ml.BinaryClassification.CrossValidate(data, estimator, numberOfFolds: 3).Count,
        Stock = ml => (IEstimator<ITransformer>)ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
        Weights = model =>
        {
            var linear = ((BinaryPredictionTransformer<Microsoft.ML.Calibrators.CalibratedModelParametersBase<Microsoft.ML.Trainers.LinearBinaryModelParameters, Microsoft.ML.Calibrators.PlattCalibrator>>)model).Model.SubModel;
            return linear.Weights.Append(linear.Bias).ToArray();
        },
    };

    public static TrainerCase Multiclass { get; } = new("multiclass")
    {
        Create = (ml, configure) =>
        {
            var options = new AdamMaximumEntropyMulticlassTrainer.Options();
            configure?.Invoke(options);
            return (IEstimator<ITransformer>)new AdamMaximumEntropyMulticlassTrainer(ml, options);
        },
        Data = ml => Synthetic.Multiclass(ml),
        Accuracy = (ml, scored) => ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
        CrossValidateFolds = (ml, data, estimator) => ml.MulticlassClassification.CrossValidate(data, estimator, numberOfFolds: 3).Count,
        Stock = ml => (IEstimator<ITransformer>)ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(),
        Weights = model =>
        {
            var parameters = ((MulticlassPredictionTransformer<Microsoft.ML.Trainers.MaximumEntropyModelParameters>)model).Model;
            VBuffer<float>[] weights = default!;
            parameters.GetWeights(ref weights, out _);
            return weights.SelectMany(w => w.DenseValues()).Concat(parameters.GetBiases()).ToArray();
        },
    };

    public static TheoryData<string> Names => new() { "binary", "multiclass" };

    public static TrainerCase Get(string name) => name == "binary" ? Binary : Multiclass;

    public override string ToString() => Name;
}
