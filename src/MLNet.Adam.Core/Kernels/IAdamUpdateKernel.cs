namespace MLNet.Adam.Kernels;

/// <summary>
/// Per-step scalars of the fused Adam update, with bias correction folded in (Kingma &amp; Ba 2015, end of section 2):
/// <c>StepSize = lr * sqrt(1 - beta2^t) / (1 - beta1^t)</c> and <c>EpsilonHat = epsilon * sqrt(1 - beta2^t)</c>.
/// </summary>
/// <param name="Beta1">Exponential decay rate of the first moment.</param>
/// <param name="Beta2">Exponential decay rate of the second moment.</param>
/// <param name="StepSize">Bias-corrected step size lr_t.</param>
/// <param name="EpsilonHat">Bias-corrected epsilon, added outside the square root.</param>
/// <param name="L2">Coupled L2 coefficient: <c>g += L2 * p</c> before the moments are updated.</param>
/// <param name="DecayFactor">Decoupled weight decay (AdamW): <c>p *= DecayFactor</c> before the step; 1 for none.</param>
/// <param name="L1">L1 strength: after the step, <c>p = sign(p) max(|p| - L1 * StepSize / (sqrt(v) + EpsilonHat), 0)</c>.</param>
/// <param name="Amsgrad">Whether to use the running maximum of the second moment (Reddi et al. 2018).</param>
internal readonly record struct AdamStepScalars(
    float Beta1, float Beta2, float StepSize, float EpsilonHat, float L2, float DecayFactor, float L1, bool Amsgrad);

/// <summary>
/// One Adam update over a contiguous range of parameters. Implementations (scalar reference, fused managed SIMD,
/// MKL VML) share this signature. Per element, with g the gradient:
/// <code>
/// g  = g + L2 * p
/// m  = Beta1 * m + (1 - Beta1) * g
/// v  = Beta2 * v + (1 - Beta2) * g * g
/// vm = Amsgrad ? (maxV = max(maxV, v)) : v
/// p  = p * DecayFactor - StepSize * m / (sqrt(vm) + EpsilonHat)
/// if L1 &gt; 0: p = sign(p) * max(|p| - L1 * StepSize / (sqrt(vm) + EpsilonHat), 0)
/// </code>
/// </summary>
internal interface IAdamUpdateKernel
{
    /// <summary>A short name of the implementation.</summary>
    string Name { get; }

    /// <summary>Applies one update in place. <paramref name="maxSecondMoment"/> is used only when AMSGrad is on.</summary>
    void Step(
        Span<float> parameters,
        ReadOnlySpan<float> gradient,
        Span<float> firstMoment,
        Span<float> secondMoment,
        Span<float> maxSecondMoment,
        in AdamStepScalars scalars);
}
