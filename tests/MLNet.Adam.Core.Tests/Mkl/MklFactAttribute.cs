using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Core.Tests.Mkl;

/// <summary>A fact that is skipped, with the loader's reason, when Intel MKL cannot be loaded.</summary>
public sealed class MklFactAttribute : FactAttribute
{
    public MklFactAttribute()
    {
        Skip = MklAvailability.SkipReason;
    }
}

/// <summary>A theory that is skipped, with the loader's reason, when Intel MKL cannot be loaded.</summary>
public sealed class MklTheoryAttribute : TheoryAttribute
{
    public MklTheoryAttribute()
    {
        Skip = MklAvailability.SkipReason;
    }
}

internal static class MklAvailability
{
    // xunit 2 has no dynamic skip: the attribute decides while tests are discovered.
    public static string? SkipReason =>
        MklBackend.TryLoad(out var reason)
            ? null
            : $"Intel MKL is not available ({reason}); install it with `sudo bash scripts/install-mkl.sh`.";
}
