using Microsoft.ML;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Training;

public class ValidationAndStoppingTests
{
    [Fact]
    public void Fit_WithValidationData_StopsEarlyAndKeepsBestWeights()
    {
        var ml = new MLContext(1);

        // Few rows and many noisy features: the validation loss turns up while the training loss keeps falling.
        var train = Synthetic.BinaryView(ml, Synthetic.BinaryRows(120, 40, 1, noise: 3), 40);
        var validation = Synthetic.BinaryView(ml, Synthetic.BinaryRows(400, 40, 1, noise: 3).Skip(200), 40);
        var trainer = new AdamLogisticRegressionBinaryTrainer(ml, new() { L2Regularization = 0, LearningRate = 0.05f, BatchSize = 32, EarlyStoppingPatience = 3 });
        var (model, summary, _) = trainer.FitDetailed(train, validation);

        Assert.StartsWith("early stopping", summary.StopReason);
        var best = summary.History.MinBy(h => h.ValidationLoss!.Value)!;
        Assert.Equal(best.Epoch, summary.BestEpoch);
        Assert.True(summary.Epochs > summary.BestEpoch, "Training should have run past the best epoch.");

        // The returned model holds the best epoch's weights: its validation log-loss (bits in ML.NET) is the best one.
        double logLoss = ml.BinaryClassification.Evaluate(model.Transform(validation)).LogLoss * Math.Log(2);
        Assert.Equal(best.ValidationLoss!.Value, logLoss, 3);
        Assert.True(logLoss < summary.History[^1].ValidationLoss!.Value);
    }

    [Fact]
    public void Fit_ValidationFraction_HoldsOutDeterministicallyWithoutOverlap()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Multiclass(ml, rows: 1000);
        TrainingSummary Run(int seed)
        {
            var trainer = new AdamMaximumEntropyMulticlassTrainer(ml, new() { ValidationFraction = 0.2f, Seed = seed, NumberOfEpochs = 5 });
            return trainer.FitDetailed(data).Summary;
        }

        var first = Run(3);
        var again = Run(3);
        var other = Run(4);
        Assert.Equal(first.TrainingRows.HeldOut, again.TrainingRows.HeldOut);
        Assert.Equal(first.TrainingRows.HeldOut, first.ValidationRows!.Used);
        Assert.Equal(1000, first.TrainingRows.Used + first.ValidationRows.Used);
        Assert.InRange(first.TrainingRows.HeldOut, 150, 250);
        Assert.NotEqual(first.TrainingRows.HeldOut, other.TrainingRows.HeldOut);
        Assert.All(first.History, h => Assert.NotNull(h.ValidationAccuracy));
    }

    [Fact]
    public void Fit_WithoutValidation_StopsWhenTrainingLossConverges()
    {
        var ml = new MLContext(1);
        var trainer = ml.BinaryClassification.Trainers.AdamLogisticRegression();
        var summary = trainer.FitDetailed(Synthetic.Binary(ml)).Summary;
        Assert.StartsWith("converged", summary.StopReason);
        Assert.True(summary.Epochs < AdamTrainerDefaults.NumberOfEpochs);
        Assert.True(summary.History[^1].TrainingLoss < summary.History[0].TrainingLoss);
    }

    [Fact]
    public void Fit_DataLargerThanConvergenceCheckRows_ChecksWithinEpochs()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Binary(ml, rows: 4000);
        var perEpoch = new AdamLogisticRegressionBinaryTrainer(ml).FitDetailed(data).Summary;
        var (model, perChunk, _) = new AdamLogisticRegressionBinaryTrainer(ml, new() { ConvergenceCheckRows = 500 }).FitDetailed(data);

        Assert.EndsWith("epoch(s)", perEpoch.StopReason);
        Assert.EndsWith("check(s) of 500 rows", perChunk.StopReason);
        Assert.True(perChunk.Epochs < perEpoch.Epochs);
        Assert.Equal(4000, perChunk.TrainingRows.Used);
        Assert.True(ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy > 0.75);
    }

    [Theory]
    [InlineData(LearningRateScheduleKind.Constant)]
    [InlineData(LearningRateScheduleKind.StepDecay)]
    [InlineData(LearningRateScheduleKind.ExponentialDecay)]
    [InlineData(LearningRateScheduleKind.InverseTimeDecay)]
    [InlineData(LearningRateScheduleKind.Cosine)]
    [InlineData(LearningRateScheduleKind.ReduceOnPlateau)]
    public void Fit_EachSchedule_TrainsAndFollowsItsLearningRates(LearningRateScheduleKind kind)
    {
        var ml = new MLContext(1);
        var options = new AdamLogisticRegressionBinaryTrainer.Options
        {
            NumberOfEpochs = 12,
            ConvergenceTolerance = 0,
            EarlyStoppingPatience = 1000,
            Schedule = new LearningRateScheduleOptions { Kind = kind, StepEpochs = 4, WarmupEpochs = 2, Factor = 0.5f, Gamma = 0.5f },
        };
        var trainer = new AdamLogisticRegressionBinaryTrainer(ml, options);
        var data = Synthetic.Binary(ml);
        var (model, summary, _) = trainer.FitDetailed(data);
        Assert.True(ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy > 0.7);

        var rates = summary.History.Select(h => h.LearningRate).ToArray();
        Assert.Equal(AdamTrainerDefaults.LearningRate, summary.LearningRate); // dense rows, no rate set
        switch (kind)
        {
            case LearningRateScheduleKind.Constant:
                Assert.All(rates, r => Assert.Equal(summary.LearningRate, r));
                break;
            case LearningRateScheduleKind.StepDecay:
                // Epoch 4's last step is still in the first interval; epoch 5's last step is in the second.
                Assert.Equal(summary.LearningRate, rates[3], 6);
                Assert.Equal(summary.LearningRate * 0.5f, rates[4], 6);
                break;
            case LearningRateScheduleKind.Cosine:
                Assert.True(rates[1] > rates[^1]);
                Assert.True(rates[^1] < summary.LearningRate * 0.05f, $"last rate {rates[^1]}");
                break;
            case LearningRateScheduleKind.ReduceOnPlateau:
                Assert.True(rates[^1] <= rates[0]);
                break;
            default:
                Assert.True(rates.Zip(rates.Skip(1)).All(p => p.Second < p.First), string.Join(", ", rates));
                break;
        }
    }

    [Fact]
    public void Fit_NonFiniteLoss_ThrowsNamingEpochStepAndAdvice()
    {
        var ml = new MLContext(1);
        var rows = Synthetic.BinaryRows(100, 3, 1);
        rows.ForEach(r => r.Features[0] *= 1e30f);
        var options = new AdamLogisticRegressionBinaryTrainer.Options { LearningRate = 1e30f, Standardization = FeatureStandardization.Off, BatchSize = 10 };
        var error = Assert.Throws<InvalidOperationException>(() => new AdamLogisticRegressionBinaryTrainer(ml, options).Fit(Synthetic.BinaryView(ml, rows, 3)));
        Assert.Contains("diverged", error.Message);
        Assert.Contains("epoch 1", error.Message);
        Assert.Contains("step", error.Message);
        Assert.Contains("lower LearningRate", error.Message);
        Assert.Equal(1e30f, options.LearningRate);
    }
}
