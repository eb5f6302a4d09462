using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Training;

public class ReproducibilityTests
{
    [Fact]
    public void EpochSeed_SameInputs_SameValueInEveryProcess()
    {
        // Literal values: a hash that is randomized per process (System.HashCode) would make the same seed give
        // different shuffles, and so different models, in different runs.
        Assert.Equal(151149761, TrainingMath.EpochSeed(0, 1));
        Assert.Equal(1425570387, TrainingMath.EpochSeed(5, 3));
        Assert.NotEqual(TrainingMath.EpochSeed(5, 3), TrainingMath.EpochSeed(5, 4));
    }
}
