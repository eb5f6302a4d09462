using MLNet.Adam.Kernels;
using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Core.Tests.Mkl;

[Trait("Category", "Mkl")]
public sealed class MklBackendTests
{
    [Fact]
    public void CreateAdamUpdate_MklRequestedButMissing_ThrowsWithInstallInstructions()
    {
        using var _ = MklBackend.SimulateMissingLibrary();

        var error = Assert.Throws<InvalidOperationException>(() => KernelFactory.CreateAdamUpdate(KernelBackend.Mkl));

        Assert.Contains("MKL", error.Message);
        Assert.Contains("not found", error.Message);
        Assert.Contains("scripts/install-mkl.sh", error.Message);
        Assert.Contains("libmkl-rt", error.Message);
    }

    [Fact]
    public void CreateGradient_MklRequestedButMissing_ThrowsWithInstallInstructions()
    {
        using var _ = MklBackend.SimulateMissingLibrary();

        var error = Assert.Throws<InvalidOperationException>(() => KernelFactory.CreateGradient(ModelShape.Binary(3), sparse: true, KernelBackend.Mkl));

        Assert.Contains("scripts/install-mkl.sh", error.Message);
    }

    [Fact]
    public void Resolve_AutoWithMklMissing_IsManagedEverywhereAndSaysWhy()
    {
        using var _ = MklBackend.SimulateMissingLibrary();

        var plan = KernelPlan.Resolve(ModelShape.Multiclass(100, 5, WeightLayout.ClassMajor), sparse: true, KernelBackend.Auto);

        Assert.Equal(KernelBackend.Managed, plan.Update);
        Assert.Equal(KernelBackend.Managed, plan.Gradient);
        Assert.Contains("MKL unavailable", plan.ToString());
    }

    [Fact]
    public void SimulateMissingLibrary_Disposed_RestoresRealAvailability()
    {
        bool before = MklBackend.TryLoad(out _);
        using (MklBackend.SimulateMissingLibrary())
        {
            Assert.False(MklBackend.TryLoad(out var reason));
            Assert.NotNull(reason);
        }

        Assert.Equal(before, MklBackend.TryLoad(out _));
    }

    [Fact]
    public void Resolve_Managed_NeverUsesMkl()
    {
        var plan = KernelPlan.Resolve(ModelShape.Binary(10), sparse: true, KernelBackend.Managed);

        Assert.Equal(KernelBackend.Managed, plan.Update);
        Assert.Equal(KernelBackend.Managed, plan.Gradient);
    }

    [Theory]
    [InlineData(true, 1, "AuthenticAMD", true)]
    [InlineData(true, 10, "AuthenticAMD", true)]
    [InlineData(true, 11, "GenuineIntel", false)]
    [InlineData(true, 100, "GenuineIntel", false)]
    [InlineData(false, 10, "GenuineIntel", true)]
    [InlineData(false, 100, "GenuineIntel", true)]
    [InlineData(false, 3, "GenuineIntel", false)]
    [InlineData(false, 1, "GenuineIntel", false)]
    [InlineData(false, 100, "AuthenticAMD", false)]
    [InlineData(false, 10, "unknown", false)]
    public void AutoPrefersMklGradient_MeasuredRule_PicksMklOnlyWhereFaster(bool sparse, int outputs, string vendor, bool expected)
    {
        var shape = outputs == 1 ? ModelShape.Binary(784) : ModelShape.Multiclass(784, outputs, WeightLayout.ClassMajor);

        bool mkl = MklBackend.AutoPrefersMklGradient(shape, sparse, vendor, out var reason);

        Assert.Equal(expected, mkl);
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [MklFact]
    public void Resolve_AutoWithMkl_KeepsManagedUpdateAndFollowsGradientRule()
    {
        var shape = ModelShape.Multiclass(1000, 10, WeightLayout.FeatureMajor);

        var plan = KernelPlan.Resolve(shape, sparse: true, KernelBackend.Auto);

        Assert.Equal(KernelBackend.Managed, plan.Update);
        Assert.Equal(KernelBackend.Mkl, plan.Gradient);
        Assert.Contains("Intel(R) Math Kernel Library", plan.Reason);
    }

    [MklFact]
    public void CreateAdamUpdate_MklRequested_ReturnsMklKernel()
    {
        Assert.Equal("mkl-vml", KernelFactory.CreateAdamUpdate(KernelBackend.Mkl).Name);
    }

    [MklFact]
    public void CpuVendor_OnX86_IsTwelveCharacters()
    {
        Assert.Equal(12, MklBackend.CpuVendor.Length);
    }
}
