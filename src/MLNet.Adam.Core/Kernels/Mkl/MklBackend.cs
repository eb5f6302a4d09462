using System.Runtime.Intrinsics.X86;
using System.Text;

namespace MLNet.Adam.Kernels.Mkl;

/// <summary>
/// Probes Intel MKL, applies the <see cref="KernelBackend.Auto"/> rule and creates the MKL kernels. The rule, from the
/// measurements in DESIGN.md section 2, picks MKL only where it was measured faster:
/// <list type="bullet">
/// <item>Adam update: managed always (the fused single-pass kernel beats VML's multi-pass chain on every CPU).</item>
/// <item>Sparse gradient: MKL's <c>mkl_sparse_s_mm</c> when the model has at most <see cref="SparseOutputLimit"/>
/// outputs (1.4-2.3x managed CSR, even on MKL's generic AMD path); managed beyond (3.8x MKL at 100 classes).</item>
/// <item>Dense gradient: MKL's <c>cblas_sgemm</c> on Intel CPUs (vendor "GenuineIntel", where MKL takes its AVX-512
/// path, about 2.3x faster) for softmax models of at least <see cref="DenseOutputMinimum"/> classes, the range measured;
/// managed on other vendors, where MKL runs a generic path that the register-blocked managed kernel beats.</item>
/// </list>
/// When MKL cannot be loaded, Auto is managed everywhere.
/// </summary>
internal static class MklBackend
{
    /// <summary>Largest output count for which Auto uses MKL's sparse product.</summary>
    internal const int SparseOutputLimit = 10;

    /// <summary>Smallest class count for which Auto uses sgemm on Intel CPUs.</summary>
    internal const int DenseOutputMinimum = 10;

    private static readonly AsyncLocal<bool> SimulatedMissing = new();
    private static readonly Lazy<string> Vendor = new(ReadCpuVendor);

    /// <summary>The CPU vendor string from CPUID leaf 0 ("GenuineIntel", "AuthenticAMD"), or "unknown" off x86.</summary>
    internal static string CpuVendor => Vendor.Value;

    /// <summary>Whether MKL can be used; <paramref name="reason"/> says why not.</summary>
    internal static bool TryLoad(out string? reason)
    {
        if (SimulatedMissing.Value)
        {
            reason = "simulated by a test: the library is treated as absent.";
            return false;
        }

        if (MklNative.Instance is null)
        {
            reason = MklNative.LoadFailure;
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>One line naming the loaded library, or why it is unavailable.</summary>
    internal static string Describe() =>
        TryLoad(out var reason) && MklNative.Instance is { } mkl
            ? $"{mkl.Version} ({mkl.FileName}, {mkl.ThreadingLayer} threading)"
            : $"MKL unavailable: {reason}";

    /// <summary>
    /// Makes <see cref="TryLoad"/> report the library as absent on the current asynchronous flow until disposed, so
    /// that tests can check the error path without affecting tests running in parallel.
    /// </summary>
    internal static IDisposable SimulateMissingLibrary()
    {
        SimulatedMissing.Value = true;
        return new Restore();
    }

    /// <summary>The MKL Adam update kernel; throws when MKL cannot be loaded.</summary>
    internal static IAdamUpdateKernel CreateAdamUpdate() => new MklAdamUpdateKernel(Require());

    /// <summary>
    /// The MKL gradient kernel when <paramref name="backend"/> selects MKL for this shape (always for
    /// <see cref="KernelBackend.Mkl"/>, by the rule for <see cref="KernelBackend.Auto"/>), otherwise null.
    /// </summary>
    internal static IGradientKernel? TryCreateGradient(ModelShape shape, bool sparse, KernelBackend backend)
    {
        if (KernelPlan.Resolve(shape, sparse, backend).Gradient != KernelBackend.Mkl)
        {
            return null;
        }

        var mkl = Require();
        return sparse ? new MklSparseGradientKernel(mkl, shape) : new MklDenseGradientKernel(mkl, shape);
    }

    /// <summary>The Auto rule for the gradient, as a pure function of the shape and the CPU vendor.</summary>
    internal static bool AutoPrefersMklGradient(ModelShape shape, bool sparse, string vendor, out string reason)
    {
        int outputs = shape.OutputCount;
        if (sparse)
        {
            bool mkl = outputs <= SparseOutputLimit;
            reason = mkl
                ? $"sparse with {outputs} output(s) <= {SparseOutputLimit}: MKL sparse mm measured 1.4-2.3x managed CSR"
                : $"sparse with {outputs} outputs > {SparseOutputLimit}: managed feature-major loops measured 3.8x MKL";
            return mkl;
        }

        if (vendor != "GenuineIntel")
        {
            reason = $"dense on a {vendor} CPU: MKL runs its generic path there, slower than the blocked managed kernel";
            return false;
        }

        if (outputs < DenseOutputMinimum)
        {
            reason = $"dense with {outputs} output(s) < {DenseOutputMinimum}: sgemm's gain is measured only for 10 or more classes";
            return false;
        }

        reason = "dense on an Intel CPU: MKL sgemm takes its AVX-512 path, measured about 2.3x faster";
        return true;
    }

    /// <summary>The loaded library, or an <see cref="InvalidOperationException"/> telling how to install it.</summary>
    internal static MklNative Require()
    {
        if (TryLoad(out var reason) && MklNative.Instance is { } mkl)
        {
            return mkl;
        }

        throw new InvalidOperationException(
            $"Intel MKL was requested (KernelBackend.Mkl) but was not found: {reason} " +
            "Install it with `sudo bash scripts/install-mkl.sh` (on Debian: enable the non-free component and " +
            "`apt-get install libmkl-rt`), or add the folder holding libmkl_rt.so (mkl_rt.2.dll on Windows) to the " +
            "library search path (LD_LIBRARY_PATH, PATH). KernelBackend.Auto and KernelBackend.Managed need no MKL.");
    }

    private static string ReadCpuVendor()
    {
        if (!X86Base.IsSupported)
        {
            return "unknown";
        }

        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> text = stackalloc byte[12];
        BitConverter.TryWriteBytes(text, ebx);
        BitConverter.TryWriteBytes(text[4..], edx);
        BitConverter.TryWriteBytes(text[8..], ecx);
        return Encoding.ASCII.GetString(text);
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => SimulatedMissing.Value = false;
    }
}
