using MLNet.Adam.Compare.Evaluation;
using MLNet.Adam.Compare.Output;

namespace MLNet.Adam.Compare.Tests;

public sealed class FormatTests
{
    [Theory]
    [InlineData(1.234, 0.05, 1, "1.23 s")]
    [InlineData(1.234, 0.05, 3, "1.23 ± 0.05 s")]
    [InlineData(0.0042, 0.001, 2, "4.2 ± 1.0 ms")]
    public void Seconds_MeanAndSpread_UnitByMagnitude(double mean, double spread, int folds, string expected)
    {
        Assert.Equal(expected, Format.Seconds(new Summary(mean, spread), folds));
    }

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(2048, "2.0 KiB")]
    [InlineData(3 * 1024 * 1024, "3.0 MiB")]
    public void Bytes_Magnitude_BinaryUnits(double bytes, string expected)
    {
        Assert.Equal(expected, Format.Bytes(bytes));
    }
}
