using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Training;

public class ReproducibilityTests
{
    [Fact]
    public void EpochSeed_SameInputs_SameValueInEveryProcess()
    {
        // Literal values: a hash that is randomized per process (System.HashCode) would make the same seed give
        // different shuffles, and so different models, in different runs.
        Assert.Equal(151149761, EpochSeeds.For(0, 1));
        Assert.Equal(1425570387, EpochSeeds.For(5, 3));
        Assert.NotEqual(EpochSeeds.For(5, 3), EpochSeeds.For(5, 4));
    }
}
