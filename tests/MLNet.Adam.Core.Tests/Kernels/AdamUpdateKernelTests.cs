using System.Runtime.Intrinsics;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Kernels;

public class AdamUpdateKernelTests
{
    private static readonly ScalarAdamUpdateKernel Scalar = new();
    private static readonly FusedAdamUpdateKernel Fused = new();

    public static TheoryData<int> FlagMasks() => new() { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

    /// <summary>
    /// Every flag combination at every loop width (512, 256 and 128-bit vectors, and scalar only), with and without
    /// software prefetch (separately compiled loop bodies).
    /// </summary>
    public static TheoryData<int, int, bool> FlagMasksWidthsAndPrefetch()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int bits in new[] { 512, 256, 128, 0 })
        {
            for (int mask = 0; mask < 16; mask++)
            {
                data.Add(mask, bits, false);
                data.Add(mask, bits, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FlagMasksWidthsAndPrefetch))]
    public void FusedStep_EveryLength0To257_MatchesScalarBitForBit(int mask, int bits, bool prefetch)
    {
        var fused = new FusedAdamUpdateKernel { MaxVectorBits = bits, ForcePrefetch = prefetch };
        var scalars = AdamUpdateTestData.AllFlagCombinations().ElementAt(mask);
        for (int length = 0; length <= 257; length++)
        {
            // Offsets move the start relative to the vector alignment, exercising the scalar head of the fused loop.
            foreach (int offset in new[] { 0, 1, 5 })
            {
                var expected = new AdamUpdateTestData(length + offset, seed: (length * 31) + offset, withExtremes: true);
                var actual = expected.Clone();
                expected.Step(Scalar, offset, length, scalars);
                actual.Step(fused, offset, length, scalars);
                expected.AssertIdentical(actual, $"{fused.Name}, prefetch {prefetch}, flags {mask}, length {length}, offset {offset}");
            }
        }
    }

    [Fact]
    public void FusedStep_AdaptivePrefetchOverManySteps_MatchesScalarBitForBit()
    {
        // Long enough for the timing-driven prefetch choice to run both loop variants over the steps.
        int length = (int)AdamUpdatePrefetchChoice.MinimumLength + 37;
        var fused = new FusedAdamUpdateKernel();
        var scalars = AdamUpdateTestData.AllFlagCombinations().ElementAt(0);
        var expected = new AdamUpdateTestData(length, seed: 3, withExtremes: true);
        var actual = expected.Clone();
        for (int step = 0; step < 2 * AdamUpdatePrefetchChoice.ProbeInterval; step++)
        {
            expected.Step(Scalar, 0, length, scalars);
            actual.Step(fused, 0, length, scalars);
        }

        expected.AssertIdentical(actual, $"{fused.Name}, length {length}");
    }

    [Fact]
    public void MaxVectorBits_SelectsTheNamedLoop()
    {
        Assert.Equal(Fused.Name, FusedAtWidth(512).Name);
        Assert.Equal("fused-scalar", FusedAtWidth(0).Name);
        if (Vector256.IsHardwareAccelerated)
        {
            Assert.Equal("fused-v256", FusedAtWidth(256).Name);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Assert.Equal("fused-v128", FusedAtWidth(128).Name);
        }
    }

    [Theory]
    [MemberData(nameof(FlagMasks))]
    public void FusedStep_ManyStepsOnLargeVector_MatchesScalarBitForBit(int mask)
    {
        var scalars = AdamUpdateTestData.AllFlagCombinations().ElementAt(mask);
        var expected = new AdamUpdateTestData(10_007, seed: mask, withExtremes: false);
        var actual = expected.Clone();
        for (int step = 0; step < 5; step++)
        {
            expected.Step(Scalar, 0, 10_007, scalars);
            actual.Step(Fused, 0, 10_007, scalars);
        }

        expected.AssertIdentical(actual, $"flags {mask}");
    }

    private static FusedAdamUpdateKernel FusedAtWidth(int bits) => new() { MaxVectorBits = bits };

    [Fact]
    public void ScalarStep_OneElement_FollowsDocumentedRule()
    {
        var s = new AdamStepScalars(0.9f, 0.99f, 0.1f, 0.01f, 0.5f, 0.98f, 0.2f, Amsgrad: true);
        float p = 2f, g = -1f, m = 0.3f, v = 0.04f, maxV = 0.5f;
        float[] pa = [p], ma = [m], va = [v], maxa = [maxV];
        Scalar.Step(pa, [g], ma, va, maxa, s);

        double ge = g + (0.5 * p);
        double me = (0.9 * m) + (0.1 * ge);
        double ve = (0.99 * v) + (0.01 * ge * ge);
        double vm = Math.Max(maxV, ve);
        double denominator = Math.Sqrt(vm) + 0.01;
        double pe = (p * 0.98) - (0.1 * me / denominator);
        pe = Math.Sign(pe) * Math.Max(Math.Abs(pe) - (0.2 * 0.1 / denominator), 0);

        Assert.Equal(me, ma[0], 1e-6);
        Assert.Equal(ve, va[0], 1e-6);
        Assert.Equal(vm, maxa[0], 1e-6);
        Assert.Equal(pe, pa[0], 1e-6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_L1ThresholdAboveMagnitude_GivesExactZero(bool fused)
    {
        IAdamUpdateKernel kernel = fused ? Fused : Scalar;
        var s = new AdamStepScalars(0.9f, 0.999f, 0.01f, 1e-8f, 0f, 1f, L1: 10f, Amsgrad: false);
        float[] p = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? 1 : -1) * 0.001f * i).ToArray();
        float[] g = Enumerable.Repeat(0.5f, 40).ToArray();
        var v = Enumerable.Repeat(0.25f, 40).ToArray();
        kernel.Step(p, g, new float[40], v, default, s);
        Assert.All(p, x => Assert.Equal(0, BitConverter.SingleToInt32Bits(MathF.Abs(x))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_MismatchedLengths_ThrowsNamingTheArgument(bool fused)
    {
        IAdamUpdateKernel kernel = fused ? Fused : Scalar;
        var s = new AdamStepScalars(0.9f, 0.999f, 0.01f, 1e-8f, 0f, 1f, 0f, Amsgrad: true);
        float[] four = new float[4];
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => kernel.Step(new float[4], new float[3], new float[4], new float[4], new float[4], s)).ParamName);
        Assert.Equal("firstMoment", Assert.Throws<ArgumentException>(() => kernel.Step(new float[4], four, new float[5], new float[4], new float[4], s)).ParamName);
        Assert.Equal("secondMoment", Assert.Throws<ArgumentException>(() => kernel.Step(new float[4], four, new float[4], new float[2], new float[4], s)).ParamName);
        Assert.Equal("maxSecondMoment", Assert.Throws<ArgumentException>(() => kernel.Step(new float[4], four, new float[4], new float[4], default, s)).ParamName);
    }

    [Theory]
    [InlineData(KernelBackend.Managed)]
    [InlineData(KernelBackend.Auto)]
    public void CreateAdamUpdate_ManagedOrAuto_ReturnsFusedKernel(KernelBackend backend) =>
        Assert.IsType<FusedAdamUpdateKernel>(KernelFactory.CreateAdamUpdate(backend));
}
