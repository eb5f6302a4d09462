using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Compare.Trainers;

/// <summary>Our Adam trainer (logistic regression or maximum entropy), exposing its training summary after the fit.</summary>
internal sealed class AdamTrainerRun : ITrainerRun
{
    private readonly Func<IDataView, IDataView?, ITransformer> _fit;
    private TrainingSummary? _summary;

    public AdamTrainerRun(TrainerSetup setup, TrainerConfig config, IProgress<TrainingProgress>? progress)
    {
        if (setup.Task == TaskKind.Binary)
        {
            var trainer = new AdamLogisticRegressionBinaryTrainer(setup.Context, Configure(new AdamLogisticRegressionBinaryTrainer.Options(), setup, config, progress));
            _fit = (train, validation) => Keep(validation is null ? trainer.FitDetailed(train) : trainer.FitDetailed(train, validation));
        }
        else
        {
            var trainer = new AdamMaximumEntropyMulticlassTrainer(setup.Context, Configure(new AdamMaximumEntropyMulticlassTrainer.Options(), setup, config, progress));
            _fit = (train, validation) => Keep(validation is null ? trainer.FitDetailed(train) : trainer.FitDetailed(train, validation));
        }
    }

    public TrainingSummary? Summary => _summary;

    public ITransformer Fit(IDataView train, IDataView? validation) => _fit(train, validation);

    private ITransformer Keep<T>(AdamFitResult<T> result)
        where T : class, ITransformer
    {
        _summary = result.Summary;
        return result.Model;
    }

    private static T Configure<T>(T options, TrainerSetup setup, TrainerConfig config, IProgress<TrainingProgress>? progress)
        where T : AdamTrainerOptionsBase
    {
        options.Seed = setup.Seed;
        options.NumberOfThreads = setup.Threads;
        options.Progress = progress;
        options.ProgressInterval = TimeSpan.FromMilliseconds(200);
        options.LearningRate = config.Get(TrainerConfig.LearningRate) ?? options.LearningRate;
        options.L2Regularization = config.Get(TrainerConfig.L2);
        return options;
    }
}
