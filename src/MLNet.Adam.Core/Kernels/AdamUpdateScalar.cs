namespace MLNet.Adam.Kernels;

/// <summary>
/// The reference ("slow twin") Adam update: a plain loop that applies the rule documented on
/// <see cref="IAdamUpdateKernel"/> element by element. Fast kernels are tested against it bit for bit.
/// </summary>
/// <remarks>
/// The operation order below is the contract the fused kernel reproduces: products are rounded separately (no fused
/// multiply-add), <c>(1 - Beta1)</c> and <c>(1 - Beta2)</c> are rounded to float once, the update is
/// <c>(StepSize * m) / (sqrt(vm) + EpsilonHat)</c>, and the L1 threshold is <c>(L1 * StepSize) / (sqrt(vm) + EpsilonHat)</c>.
/// Terms whose coefficient is neutral (<c>L2 = 0</c>, <c>DecayFactor = 1</c>, <c>L1 = 0</c>) are skipped, which keeps
/// infinite parameters from turning <c>0 * p</c> into NaN. Maxima are written as comparisons so that a NaN second
/// moment propagates to the parameter instead of being hidden, identically on every runtime.
/// </remarks>
internal sealed class ScalarAdamUpdateKernel : IAdamUpdateKernel
{
    /// <inheritdoc />
    public string Name => "scalar";

    /// <inheritdoc />
    public void Step(
        Span<float> parameters,
        ReadOnlySpan<float> gradient,
        Span<float> firstMoment,
        Span<float> secondMoment,
        Span<float> maxSecondMoment,
        in AdamStepScalars scalars)
    {
        AdamUpdateArguments.Check(parameters, gradient, firstMoment, secondMoment, maxSecondMoment, scalars.Amsgrad);

        float beta1 = scalars.Beta1;
        float beta2 = scalars.Beta2;
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        float stepSize = scalars.StepSize;
        float epsilonHat = scalars.EpsilonHat;
        float l2 = scalars.L2;
        float decay = scalars.DecayFactor;
        float l1Step = scalars.L1 * stepSize;

        for (int i = 0; i < parameters.Length; i++)
        {
            float p = parameters[i];
            float g = gradient[i];
            if (l2 != 0f)
            {
                g += l2 * p;
            }

            float m = (beta1 * firstMoment[i]) + (oneMinusBeta1 * g);
            float v = (beta2 * secondMoment[i]) + (oneMinusBeta2 * g * g);
            firstMoment[i] = m;
            secondMoment[i] = v;

            float vm = v;
            if (scalars.Amsgrad)
            {
                float max = maxSecondMoment[i];
                vm = max >= v ? max : v;
                maxSecondMoment[i] = vm;
            }

            float denominator = MathF.Sqrt(vm) + epsilonHat;
            if (decay != 1f)
            {
                p *= decay;
            }

            p -= (stepSize * m) / denominator;

            if (scalars.L1 > 0f)
            {
                float shrunk = MathF.Abs(p) - (l1Step / denominator);
                p = MathF.CopySign(shrunk < 0f ? 0f : shrunk, p);
            }

            parameters[i] = p;
        }
    }
}
