using Microsoft.ML;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>One trainer as a user creates it from the catalog, default options (ours: plus any --adam settings).</summary>
internal sealed record FitTrainer(string Name, Func<IDataView, ITransformer> Fit, Func<TrainingSummary?> Summary);

internal static class FitTrainers
{
    public static string DisplayName(string trainer, bool multiclass) => (trainer, multiclass) switch
    {
        ("adam", false) => "AdamLogisticRegression",
        ("adam", true) => "AdamMaximumEntropy",
        ("adam1", false) => "AdamLogisticRegression (NumberOfThreads = 1)",
        ("adam1", true) => "AdamMaximumEntropy (NumberOfThreads = 1)",
        ("lbfgs", false) => "LbfgsLogisticRegression",
        ("lbfgs", true) => "LbfgsMaximumEntropy",
        ("sdca", false) => "SdcaLogisticRegression",
        ("sdca", true) => "SdcaMaximumEntropy",
        _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Unknown trainer."),
    };

    public static FitTrainer Create(MLContext ml, string trainer, bool multiclass, IReadOnlyList<string> adamSettings)
    {
        string name = DisplayName(trainer, multiclass);
        if (trainer == "adam1")
        {
            // Ours held to one thread (the given settings may still override it).
            var single = Create(ml, "adam", multiclass, ["NumberOfThreads=1", .. adamSettings]);
            return single with { Name = name };
        }

        switch (trainer, multiclass)
        {
            case ("adam", false):
            {
                var options = new AdamLogisticRegressionBinaryTrainer.Options();
                foreach (var setting in adamSettings)
                {
                    AdamOptionSetter.Apply(options, setting);
                }

                var estimator = ml.BinaryClassification.Trainers.AdamLogisticRegression(options);
                TrainingSummary? summary = null;
                return new FitTrainer(name, data => { var run = estimator.FitDetailed(data); summary = run.Summary; return run.Model; }, () => summary);
            }

            case ("adam", true):
            {
                var options = new AdamMaximumEntropyMulticlassTrainer.Options();
                foreach (var setting in adamSettings)
                {
                    AdamOptionSetter.Apply(options, setting);
                }

                var estimator = ml.MulticlassClassification.Trainers.AdamMaximumEntropy(options);
                TrainingSummary? summary = null;
                return new FitTrainer(name, data => { var run = estimator.FitDetailed(data); summary = run.Summary; return run.Model; }, () => summary);
            }

            case ("lbfgs", false):
                return Stock(name, ml.BinaryClassification.Trainers.LbfgsLogisticRegression());
            case ("lbfgs", true):
                return Stock(name, ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());
            case ("sdca", false):
                return Stock(name, ml.BinaryClassification.Trainers.SdcaLogisticRegression());
            case ("sdca", true):
                return Stock(name, ml.MulticlassClassification.Trainers.SdcaMaximumEntropy());
            default:
                throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Unknown trainer.");
        }
    }

    private static FitTrainer Stock<T>(string name, IEstimator<T> estimator)
        where T : class, ITransformer =>
        new(name, data => estimator.Fit(data), () => null);
}
