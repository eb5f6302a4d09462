using Microsoft.ML;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Conformance;

/// <summary>Each Fit's summary and checkpoint come back with its model; the trainer keeps no per-run state.</summary>
public class FitResultTests
{
    [Fact]
    public async Task FitDetailed_TwoConcurrentFitsOnOneTrainer_EachGetsItsOwnSummary()
    {
        var ml = new MLContext(1);
        var small = Synthetic.Binary(ml, rows: 300, seed: 1);
        var large = Synthetic.Binary(ml, rows: 900, seed: 2);

        // Both fits are inside Fit at the same time: each waits at its first progress report until the other has started.
        using var bothStarted = new Barrier(2);
        var options = new AdamLogisticRegressionBinaryTrainer.Options
        {
            NumberOfEpochs = 4, ConvergenceTolerance = 0, EarlyStoppingPatience = 100, L2Regularization = 1, BatchSize = 50, NumberOfThreads = 1, ProgressInterval = TimeSpan.Zero,
            Progress = new OnceProgress(() => bothStarted.SignalAndWait(TimeSpan.FromMinutes(2))),
        };
        var shared = new AdamLogisticRegressionBinaryTrainer(ml, options);
        var results = await Task.WhenAll(Task.Run(() => shared.FitDetailed(small)), Task.Run(() => shared.FitDetailed(large)));
        var (first, second) = (results[0], results[1]);

        Assert.Equal(300, first.Summary.TrainingRows.Used);
        Assert.Equal(900, second.Summary.TrainingRows.Used);
        Assert.Equal(4 * 6, first.Summary.History[^1].Steps);
        Assert.Equal(4 * 18, second.Summary.History[^1].Steps);
        Assert.NotSame(first.Checkpoint, second.Checkpoint);
        Assert.Same(first, shared.GetFitResult(first.Model));
        Assert.Same(second, shared.GetFitResult(second.Model));
    }

    [Fact]
    public void GetFitResult_ModelTrainedInPipeline_ReturnsThatFitsResult()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Multiclass(ml);
        var trainer = ml.MulticlassClassification.Trainers.AdamMaximumEntropy(numberOfEpochs: 3);
        var pipeline = ml.Transforms.NormalizeMinMax("Features").Append(trainer);
        var first = pipeline.Fit(data);
        var second = pipeline.Fit(Synthetic.Multiclass(ml, rows: 200));

        var firstResult = trainer.GetFitResult(first.LastTransformer)!;
        var secondResult = trainer.GetFitResult(second.LastTransformer)!;
        Assert.Same(first.LastTransformer, firstResult.Model);
        Assert.Equal(600, firstResult.Summary.TrainingRows.Used);
        Assert.Equal(200, secondResult.Summary.TrainingRows.Used);

        // Not a model this trainer returned: nothing is made up.
        Assert.Null(trainer.GetFitResult(ml.MulticlassClassification.Trainers.AdamMaximumEntropy(numberOfEpochs: 1).Fit(data)));
        Assert.Null(trainer.GetFitResult(first));
    }

    [Fact]
    public void FitDetailed_Deconstructs_AndFitReturnsEqualWeights()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Binary(ml);
        var trainer = ml.BinaryClassification.Trainers.AdamLogisticRegression(numberOfEpochs: 3);
        var (model, summary, checkpoint) = trainer.FitDetailed(data);
        var plain = trainer.Fit(data);
        Assert.Equal(model.Model.SubModel.Weights, plain.Model.SubModel.Weights);
        Assert.Equal(summary.Epochs, checkpoint.EpochsCompleted);
    }

    /// <summary>Runs <paramref name="action"/> at the first report of each Fit's thread, synchronously.</summary>
    private sealed class OnceProgress(Action action) : IProgress<TrainingProgress>
    {
        private readonly ThreadLocal<bool> _done = new();

        public void Report(TrainingProgress value)
        {
            if (!_done.Value)
            {
                _done.Value = true;
                action();
            }
        }
    }
}
