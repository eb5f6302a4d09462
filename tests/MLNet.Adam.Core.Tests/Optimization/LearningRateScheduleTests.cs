using MLNet.Adam.Optimization;

namespace MLNet.Adam.Core.Tests.Optimization;

public class LearningRateScheduleTests
{
    [Fact]
    public void ConstantSchedule_AnyStep_ReturnsLearningRate()
    {
        var s = new ConstantSchedule(0.3f);
        Assert.Equal(0.3f, s.GetLearningRate(0));
        Assert.Equal(0.3f, s.GetLearningRate(long.MaxValue));
    }

    [Fact]
    public void StepDecaySchedule_AtStepBoundaries_DecaysByGamma()
    {
        var s = new StepDecaySchedule(1f, stepSize: 10, gamma: 0.5f);
        Assert.Equal(1f, s.GetLearningRate(0));
        Assert.Equal(1f, s.GetLearningRate(9));
        Assert.Equal(0.5f, s.GetLearningRate(10));
        Assert.Equal(0.5f, s.GetLearningRate(19));
        Assert.Equal(0.25f, s.GetLearningRate(20));
    }

    [Fact]
    public void ExponentialDecaySchedule_AtMultiplesOfDecaySteps_IsPowerOfGamma()
    {
        var s = new ExponentialDecaySchedule(2f, gamma: 0.1f, decaySteps: 100);
        Assert.Equal(2f, s.GetLearningRate(0));
        Assert.Equal(2 * Math.Sqrt(0.1), s.GetLearningRate(50), 1e-6);
        Assert.Equal(0.2, s.GetLearningRate(100), 1e-7);
        Assert.Equal(0.02, s.GetLearningRate(200), 1e-8);
    }

    [Fact]
    public void InverseTimeDecaySchedule_Steps_FollowFormula()
    {
        var s = new InverseTimeDecaySchedule(1f, gamma: 0.5f, power: 2f);
        Assert.Equal(1f, s.GetLearningRate(0));
        Assert.Equal(1 / 2.25, s.GetLearningRate(1), 1e-7);
        Assert.Equal(1 / 36.0, s.GetLearningRate(10), 1e-8);
        Assert.Equal(1 / Math.Sqrt(2), new InverseTimeDecaySchedule(1f, 1f, 0.5f).GetLearningRate(1), 1e-7);
    }

    [Fact]
    public void CosineSchedule_WithWarmup_HitsBoundaries()
    {
        var s = new CosineSchedule(1f, totalSteps: 110, warmupSteps: 10, minLearningRate: 0.1f);
        Assert.Equal(0.1f, s.GetLearningRate(0));
        Assert.Equal(0.5f, s.GetLearningRate(4));
        Assert.Equal(1f, s.GetLearningRate(9));
        Assert.Equal(1f, s.GetLearningRate(10));
        Assert.Equal(0.55, s.GetLearningRate(60), 1e-6);
        Assert.True(s.GetLearningRate(109) > 0.1f);
        Assert.Equal(0.1f, s.GetLearningRate(110));
        Assert.Equal(0.1f, s.GetLearningRate(100_000));
    }

    [Fact]
    public void CosineSchedule_WithoutWarmup_StartsAtPeakAndDecreases()
    {
        var s = new CosineSchedule(0.5f, totalSteps: 4);
        float[] rates = Enumerable.Range(0, 6).Select(t => s.GetLearningRate(t)).ToArray();
        Assert.Equal(0.5f, rates[0]);
        Assert.Equal(0.25, rates[2], 1e-7);
        Assert.Equal(0f, rates[4]);
        Assert.Equal(0f, rates[5]);
        Assert.True(rates[0] > rates[1] && rates[1] > rates[2] && rates[2] > rates[3] && rates[3] > rates[4]);
    }

    [Fact]
    public void GetLearningRate_NegativeStep_Throws()
    {
        LearningRateSchedule[] schedules =
        [
            new ConstantSchedule(1f), new StepDecaySchedule(1f, 1, 0.5f), new ExponentialDecaySchedule(1f, 0.5f),
            new InverseTimeDecaySchedule(1f, 1f), new CosineSchedule(1f, 10), new ReduceOnPlateauSchedule(1f),
        ];
        Assert.All(schedules, s => Assert.Throws<ArgumentOutOfRangeException>(() => s.GetLearningRate(-1)));
    }

    public static TheoryData<string, Func<LearningRateSchedule>> InvalidSchedules() => new()
    {
        { "learningRate", () => new ConstantSchedule(0f) },
        { "learningRate", () => new ConstantSchedule(float.NaN) },
        { "stepSize", () => new StepDecaySchedule(1f, 0, 0.5f) },
        { "gamma", () => new StepDecaySchedule(1f, 5, 1.5f) },
        { "gamma", () => new StepDecaySchedule(1f, 5, 0f) },
        { "gamma", () => new ExponentialDecaySchedule(1f, float.NaN) },
        { "decaySteps", () => new ExponentialDecaySchedule(1f, 0.5f, -3) },
        { "gamma", () => new InverseTimeDecaySchedule(1f, -1f) },
        { "power", () => new InverseTimeDecaySchedule(1f, 1f, float.PositiveInfinity) },
        { "totalSteps", () => new CosineSchedule(1f, totalSteps: 10, warmupSteps: 10) },
        { "warmupSteps", () => new CosineSchedule(1f, totalSteps: 10, warmupSteps: -1) },
        { "minLearningRate", () => new CosineSchedule(1f, 10, minLearningRate: 2f) },
        { "factor", () => new ReduceOnPlateauSchedule(1f, factor: 1f) },
        { "patience", () => new ReduceOnPlateauSchedule(1f, patience: -1) },
        { "minDelta", () => new ReduceOnPlateauSchedule(1f, minDelta: double.NaN) },
        { "minLearningRate", () => new ReduceOnPlateauSchedule(1f, minLearningRate: -1f) },
        { "cooldown", () => new ReduceOnPlateauSchedule(1f, cooldown: -2) },
    };

    [Theory]
    [MemberData(nameof(InvalidSchedules))]
    public void Constructor_InvalidArgument_ThrowsNamingParameter(string parameter, Func<LearningRateSchedule> create)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(parameter, e.Message);
    }

    [Fact]
    public void SaveStateLoadState_StatelessSchedule_WritesNothing()
    {
        var s = new CosineSchedule(1f, 10);
        using var stream = new MemoryStream();
        s.SaveState(stream);
        Assert.Equal(0, stream.Length);
        s.LoadState(stream);
        Assert.Equal(1f, s.GetLearningRate(0));
    }
}
