using MLNet.Adam.Optimization;

namespace MLNet.Adam.Core.Tests.Optimization;

public class ReduceOnPlateauScheduleTests
{
    [Fact]
    public void ReportMetric_ImprovingMetric_NeverReduces()
    {
        var s = new ReduceOnPlateauSchedule(1f, patience: 0);
        for (int epoch = 0; epoch < 20; epoch++)
        {
            s.ReportMetric(10.0 - epoch);
        }

        Assert.Equal(1f, s.CurrentLearningRate);
        Assert.Equal(0, s.ReductionCount);
        Assert.Equal(-9.0, s.BestMetric);
    }

    [Fact]
    public void ReportMetric_PlateauLongerThanPatience_ReducesOnPatiencePlusOneBadEpoch()
    {
        var s = new ReduceOnPlateauSchedule(1f, factor: 0.5f, patience: 2);
        s.ReportMetric(1.0);
        s.ReportMetric(1.0);
        s.ReportMetric(1.0);
        Assert.Equal(1f, s.GetLearningRate(100));
        Assert.Equal(2, s.BadEpochs);

        s.ReportMetric(1.0);
        Assert.Equal(0.5f, s.GetLearningRate(100));
        Assert.Equal(1, s.ReductionCount);
        Assert.Equal(0, s.BadEpochs);

        // The count restarts: the next reduction needs another patience + 1 bad epochs.
        s.ReportMetric(1.0);
        s.ReportMetric(1.0);
        Assert.Equal(0.5f, s.CurrentLearningRate);
        s.ReportMetric(1.0);
        Assert.Equal(0.25f, s.CurrentLearningRate);
    }

    [Fact]
    public void ReportMetric_DuringCooldown_BadEpochsAreNotCounted()
    {
        var s = new ReduceOnPlateauSchedule(1f, factor: 0.5f, patience: 0, cooldown: 2);
        s.ReportMetric(1.0);
        s.ReportMetric(1.0);
        Assert.Equal(0.5f, s.CurrentLearningRate);

        s.ReportMetric(1.0);
        s.ReportMetric(1.0);
        Assert.Equal(0.5f, s.CurrentLearningRate);

        s.ReportMetric(1.0);
        Assert.Equal(0.25f, s.CurrentLearningRate);
        Assert.Equal(2, s.ReductionCount);
    }

    [Fact]
    public void ReportMetric_ImprovementBelowRelativeMinDelta_CountsAsBad()
    {
        var s = new ReduceOnPlateauSchedule(1f, factor: 0.5f, patience: 1, minDelta: 0.01);
        s.ReportMetric(100.0);
        s.ReportMetric(99.5);
        s.ReportMetric(99.2);
        Assert.Equal(0.5f, s.CurrentLearningRate);
        Assert.Equal(100.0, s.BestMetric);

        s.ReportMetric(98.9);
        Assert.Equal(98.9, s.BestMetric);
    }

    [Fact]
    public void ReportMetric_NegativeMetrics_RelativeDeltaUsesMagnitude()
    {
        var s = new ReduceOnPlateauSchedule(1f, patience: 0, minDelta: 0.1);
        s.ReportMetric(-10.0);
        s.ReportMetric(-10.5);
        Assert.Equal(0.1f, s.CurrentLearningRate);
        s.ReportMetric(-11.5);
        Assert.Equal(-11.5, s.BestMetric);
    }

    [Fact]
    public void ReportMetric_AtMinimumRate_StopsCountingReductions()
    {
        var s = new ReduceOnPlateauSchedule(1f, factor: 0.1f, patience: 0, minLearningRate: 0.05f);
        for (int epoch = 0; epoch < 6; epoch++)
        {
            s.ReportMetric(1.0);
        }

        Assert.Equal(0.05f, s.CurrentLearningRate);
        Assert.Equal(2, s.ReductionCount);
    }

    [Fact]
    public void ReportMetric_NaN_IsNeverAnImprovement()
    {
        var s = new ReduceOnPlateauSchedule(1f, factor: 0.5f, patience: 1);
        s.ReportMetric(double.NaN);
        Assert.True(double.IsNaN(s.BestMetric));
        s.ReportMetric(double.NaN);
        Assert.Equal(0.5f, s.CurrentLearningRate);
        s.ReportMetric(3.0);
        Assert.Equal(3.0, s.BestMetric);
    }

    [Fact]
    public void SaveStateLoadState_MidPlateau_RestoredScheduleBehavesIdentically()
    {
        var original = new ReduceOnPlateauSchedule(1f, factor: 0.5f, patience: 2, cooldown: 1);
        double[] metrics = [5, 4, 4, 4, 4, 4, 3.9, 4, 4];
        foreach (double metric in metrics)
        {
            original.ReportMetric(metric);
        }

        using var stream = new MemoryStream();
        original.SaveState(stream);
        stream.Position = 0;
        var restored = new ReduceOnPlateauSchedule(1f, factor: 0.5f, patience: 2, cooldown: 1);
        restored.LoadState(stream);

        for (int epoch = 0; epoch < 8; epoch++)
        {
            Assert.Equal(original.CurrentLearningRate, restored.CurrentLearningRate);
            Assert.Equal(original.ReductionCount, restored.ReductionCount);
            Assert.Equal(original.BadEpochs, restored.BadEpochs);
            Assert.Equal(original.BestMetric, restored.BestMetric);
            original.ReportMetric(4);
            restored.ReportMetric(4);
        }

        Assert.True(restored.ReductionCount >= 2);
    }

    [Fact]
    public void LoadState_CorruptedOrForeignData_ThrowsInvalidData()
    {
        var s = new ReduceOnPlateauSchedule(1f, patience: 1);
        Assert.Throws<InvalidDataException>(() => s.LoadState(new MemoryStream(new byte[5])));
        Assert.Throws<InvalidDataException>(() => s.LoadState(new MemoryStream(new byte[64])));

        var other = new ReduceOnPlateauSchedule(1f, patience: 5);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            other.ReportMetric(1.0);
        }

        using var stream = new MemoryStream();
        other.SaveState(stream);
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => s.LoadState(stream));
        Assert.Equal(1f, s.CurrentLearningRate);
    }
}
