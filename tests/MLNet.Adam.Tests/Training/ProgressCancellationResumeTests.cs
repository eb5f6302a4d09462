using Microsoft.ML;
using Microsoft.ML.Trainers;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Training;

public class ProgressCancellationResumeTests
{
    [Fact]
    public void Fit_Progress_ReportsEveryEpochBoundedWithinAndLogs()
    {
        var ml = new MLContext(1);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains("Adam")) { log.Add(e.Message); } };
        var reports = new List<TrainingProgress>();
        var trainer = new AdamMaximumEntropyMulticlassTrainer(ml, new()
        {
            BatchSize = 16, NumberOfEpochs = 6, ConvergenceTolerance = 0, EarlyStoppingPatience = 100,
            Progress = new SynchronousProgress(reports.Add), ProgressInterval = TimeSpan.Zero, ValidationFraction = 0.2f,
        });
        var summary = trainer.FitDetailed(Synthetic.Multiclass(ml)).Summary;

        var epochEnds = reports.Where(r => r.IsEpochEnd).ToList();
        Assert.Equal(Enumerable.Range(1, 6), epochEnds.Select(r => r.Epoch));
        Assert.All(epochEnds, r => { Assert.NotNull(r.ValidationLoss); Assert.NotNull(r.ValidationAccuracy); Assert.True(r.RowsPerSecond > 0); });
        Assert.True(reports.Count(r => !r.IsEpochEnd) > 6, "With a zero interval every step is reported.");
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.Step >= p.First.Step && p.Second.RowsSeen >= p.First.RowsSeen));
        Assert.Equal(6, summary.History.Count);
        Assert.Contains(log, m => m.Contains("] epoch 6,", StringComparison.Ordinal));
        Assert.Contains(log, m => m.Contains("Finished after 6 epoch(s)", StringComparison.Ordinal));

        // A long interval limits within-epoch reports to none on this small job, while epoch ends still arrive.
        reports.Clear();
        new AdamMaximumEntropyMulticlassTrainer(ml, new() { BatchSize = 16, NumberOfEpochs = 3, Progress = new SynchronousProgress(reports.Add), ProgressInterval = TimeSpan.FromHours(1) })
            .Fit(Synthetic.Multiclass(ml));
        Assert.All(reports, r => Assert.True(r.IsEpochEnd));
    }

    [Fact]
    public void Fit_CancelledFromProgressMidway_ThrowsAndReturnsNoModel()
    {
        var ml = new MLContext(1);
        using var cancellation = new CancellationTokenSource();
        long stepAtCancel = 0;
        var trainer = new AdamLogisticRegressionBinaryTrainer(ml, new()
        {
            BatchSize = 8, CancellationToken = cancellation.Token, ProgressInterval = TimeSpan.Zero,
            Progress = new SynchronousProgress(p => { if (p.Epoch == 2 && stepAtCancel == 0) { stepAtCancel = p.Step; cancellation.Cancel(); } }),
        });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.FitDetailed(Synthetic.Binary(ml)));
        Assert.True(stepAtCancel > 0);
    }

    [Theory]
    [MemberData(nameof(TrainerCase.Names), MemberType = typeof(TrainerCase))]
    public void Fit_ResumeFromCheckpoint_EqualsOneLongRunBitForBit(string name)
    {
        var c = TrainerCase.Get(name);
        var ml = new MLContext(1);
        var data = c.Data(ml);
        void Configure(AdamTrainerOptionsBase o, int epochs)
        {
            o.NumberOfEpochs = epochs;
            o.BatchSize = 64;
            o.NumberOfThreads = 2;
            o.ValidationFraction = 0.1f;
            o.Schedule.PlateauPatience = 1;
        }

        var whole = c.Create(ml, o => Configure(o, 7));
        var expected = c.Weights(whole.Fit(data));

        var part = c.Create(ml, o => Configure(o, 3));
        var checkpoint = FitDetailed(part, data, null).Checkpoint;
        using var stream = new MemoryStream();
        checkpoint.Save(stream);
        stream.Position = 0;
        var restored = TrainingCheckpoint.Load(stream);

        var rest = c.Create(ml, o => Configure(o, 7));
        var run = FitDetailed(rest, data, restored);
        Assert.Equal(expected, c.Weights(run.Model));
        Assert.Equal(7, run.Summary.History.Count);
    }

    [Fact]
    public void Fit_WarmStartFromLbfgs_StartsNearItsSolution()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Binary(ml);
        var lbfgs = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(data).Model.SubModel;
        var trainer = new AdamLogisticRegressionBinaryTrainer(ml, new() { NumberOfEpochs = 1, L2Regularization = 1 });
        var cold = trainer.FitDetailed(data).Summary;
        var warm = trainer.FitDetailed(data, lbfgs).Summary;
        Assert.True(warm.History[0].TrainingLoss < cold.History[0].TrainingLoss * 0.9);
    }

    [Fact]
    public void Fit_WarmStartFromMaximumEntropy_StartsNearItsSolution()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Multiclass(ml);
        var sdca = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy().Fit(data).Model;
        var trainer = new AdamMaximumEntropyMulticlassTrainer(ml, new() { NumberOfEpochs = 1, L2Regularization = 1 });
        var cold = trainer.FitDetailed(data).Summary;
        var warm = trainer.FitDetailed(data, sdca).Summary;
        Assert.True(warm.History[0].TrainingLoss < cold.History[0].TrainingLoss * 0.9);
    }

    [Fact]
    public void Fit_WarmStartWithWrongFeatureCount_ThrowsClearly()
    {
        var ml = new MLContext(1);
        var other = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(Synthetic.Binary(ml, features: 3)).Model.SubModel;
        var error = Assert.Throws<ArgumentException>(() => new AdamLogisticRegressionBinaryTrainer(ml).Fit(Synthetic.Binary(ml, features: 8), other));
        Assert.Contains("4 parameters", error.Message);
    }

    private static (ITransformer Model, TrainingSummary Summary, TrainingCheckpoint Checkpoint) FitDetailed(
        IEstimator<ITransformer> trainer, IDataView data, TrainingCheckpoint? checkpoint) => trainer switch
    {
        AdamLogisticRegressionBinaryTrainer b when checkpoint is null => Tuple(b.FitDetailed(data)),
        AdamLogisticRegressionBinaryTrainer b => Tuple(b.FitDetailed(data, checkpoint)),
        AdamMaximumEntropyMulticlassTrainer m when checkpoint is null => Tuple(m.FitDetailed(data)),
        AdamMaximumEntropyMulticlassTrainer m => Tuple(m.FitDetailed(data, checkpoint)),
        _ => throw new InvalidOperationException(),
    };

    private static (ITransformer, TrainingSummary, TrainingCheckpoint) Tuple<T>(AdamFitResult<T> result)
        where T : class, ITransformer => (result.Model, result.Summary, result.Checkpoint);

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the reports in order, on the training thread.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
