using MLNet.Adam.Optimization;

namespace MLNet.Adam.Core.Tests.Optimization;

public class GradientClippingTests
{
    [Fact]
    public void ClipByGlobalNorm_NormBelowMax_LeavesGradientAndReturnsNorm()
    {
        float[] g = [3f, -4f];
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm(g, 5f), 12);
        Assert.Equal([3f, -4f], g);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(1000)]
    public void ClipByGlobalNorm_NormAboveMax_ScalesToMaxAndReturnsDoubleNorm(int length)
    {
        var random = new Random(length);
        float[] g = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5) * 10).ToArray();
        double expected = Math.Sqrt(g.Sum(x => (double)x * x));

        double norm = GradientClipping.ClipByGlobalNorm(g, 0.5f);

        Assert.Equal(expected, norm, expected * 1e-14);
        Assert.Equal(0.5, Math.Sqrt(g.Sum(x => (double)x * x)), 1e-6);
    }

    [Fact]
    public void ClipByGlobalNorm_EntriesWhoseSquaresOverflowFloat_ComputesNormInDouble()
    {
        float[] g = Enumerable.Repeat(3e20f, 20).ToArray();
        double norm = GradientClipping.ClipByGlobalNorm(g, 1f);
        Assert.Equal(3e20 * Math.Sqrt(20), norm, 3e20 * 1e-6);
        Assert.All(g, x => Assert.Equal(1 / Math.Sqrt(20), x, 1e-6));
    }

    [Fact]
    public void ClipByGlobalNorm_InfiniteEntry_ReturnsInfinityAndLeavesGradient()
    {
        float[] g = [1f, float.PositiveInfinity, 2f];
        Assert.Equal(double.PositiveInfinity, GradientClipping.ClipByGlobalNorm(g, 1f));
        Assert.Equal([1f, float.PositiveInfinity, 2f], g);
    }

    [Fact]
    public void ClipByGlobalNorm_Empty_ReturnsZero() => Assert.Equal(0.0, GradientClipping.ClipByGlobalNorm([], 1f));

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void ClipByGlobalNorm_InvalidMaxNorm_ThrowsNamingIt(float maxNorm) =>
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(new float[2], maxNorm)).ParamName);
}
