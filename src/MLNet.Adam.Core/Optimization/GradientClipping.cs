namespace MLNet.Adam.Optimization;

// CONTRACT STUB (to be completed by the optimizer work).

/// <summary>Gradient clipping.</summary>
public static class GradientClipping
{
    /// <summary>Scales <paramref name="gradient"/> so its L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipByGlobalNorm(Span<float> gradient, float maxNorm) => throw new NotImplementedException();
}
