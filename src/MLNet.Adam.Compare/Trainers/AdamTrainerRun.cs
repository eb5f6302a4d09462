using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Compare.Trainers;

/// <summary>Our Adam trainer (logistic regression or maximum entropy), exposing its training summary after the fit.</summary>
internal sealed class AdamTrainerRun : ITrainerRun
{
    private readonly Func<IDataView, IDataView?, ITransformer> _fit;
    private readonly Func<TrainingSummary?> _summary;

    public AdamTrainerRun(TrainerSetup setup, TrainerConfig config, IProgress<TrainingProgress>? progress)
    {
        if (setup.Task == TaskKind.Binary)
        {
            var trainer = new AdamLogisticRegressionBinaryTrainer(setup.Context, Configure(new AdamLogisticRegressionBinaryTrainer.Options(), setup, config, progress));
            _fit = (train, validation) => validation is null ? trainer.Fit(train) : trainer.Fit(train, validation);
            _summary = () => trainer.LastTrainingSummary;
        }
        else
        {
            var trainer = new AdamMaximumEntropyMulticlassTrainer(setup.Context, Configure(new AdamMaximumEntropyMulticlassTrainer.Options(), setup, config, progress));
            _fit = (train, validation) => validation is null ? trainer.Fit(train) : trainer.Fit(train, validation);
            _summary = () => trainer.LastTrainingSummary;
        }
    }

    public TrainingSummary? Summary => _summary();

    public ITransformer Fit(IDataView train, IDataView? validation) => _fit(train, validation);

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
