using MLNet.Adam.Samples;

namespace MLNet.Adam.Tests.Samples;

/// <summary>Every sample runs and reaches the quality its "Expected output" comment promises.</summary>
public class SampleTests
{
    [Fact]
    public void BinaryClassification_Run_ReachesExpectedAccuracy() => Assert.InRange(BinaryClassification.Run(), 0.92, 1.0);

    [Fact]
    public void MulticlassClassification_Run_ReachesExpectedAccuracy() => Assert.InRange(MulticlassClassification.Run(), 0.97, 1.0);

    [Fact]
    public void TextClassification_Run_ReachesExpectedAccuracy() => Assert.InRange(TextClassification.Run(), 0.8, 1.0);

    [Fact]
    public void SaveAndLoad_Run_ReloadedModelPredictsIdentically() => Assert.Equal(0.0, SaveAndLoad.Run());

    [Fact]
    public void OnnxExport_Run_OnnxRuntimeMatchesMLNet() => Assert.InRange(OnnxExport.Run(), 0.0, 1e-5);
}
