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

    public AdamTrainerRun(MLContext context, TaskKind task, TrainerConfig config, IProgress<TrainingProgress>? progress, int seed)
    {
        if (task == TaskKind.Binary)
        {
            var trainer = new AdamLogisticRegressionBinaryTrainer(context, Configure(new AdamLogisticRegressionBinaryTrainer.Options(), config, progress, seed));
            _fit = (train, validation) => validation is null ? trainer.Fit(train) : trainer.Fit(train, validation);
            _summary = () => trainer.LastTrainingSummary;
        }
        else
        {
            var trainer = new AdamMaximumEntropyMulticlassTrainer(context, Configure(new AdamMaximumEntropyMulticlassTrainer.Options(), config, progress, seed));
            _fit = (train, validation) => validation is null ? trainer.Fit(train) : trainer.Fit(train, validation);
            _summary = () => trainer.LastTrainingSummary;
        }
    }

    public TrainingSummary? Summary => _summary();

    public ITransformer Fit(IDataView train, IDataView? validation) => _fit(train, validation);

    private static T Configure<T>(T options, TrainerConfig config, IProgress<TrainingProgress>? progress, int seed)
        where T : AdamTrainerOptionsBase
    {
        options.Seed = seed;
        options.Progress = progress;
        options.ProgressInterval = TimeSpan.FromMilliseconds(200);
        options.LearningRate = config.Get(TrainerConfig.LearningRate) ?? options.LearningRate;
        options.L2Regularization = config.Get(TrainerConfig.L2) ?? options.L2Regularization;
        return options;
    }
}
