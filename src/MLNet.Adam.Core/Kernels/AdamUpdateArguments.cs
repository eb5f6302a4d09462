namespace MLNet.Adam.Kernels;

/// <summary>Argument checks shared by the Adam update kernels, so every implementation rejects the same inputs.</summary>
internal static class AdamUpdateArguments
{
    public static void Check(
        Span<float> parameters,
        ReadOnlySpan<float> gradient,
        Span<float> firstMoment,
        Span<float> secondMoment,
        Span<float> maxSecondMoment,
        bool amsgrad)
    {
        int n = parameters.Length;
        if (gradient.Length != n)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} entries but there are {n} parameters.", nameof(gradient));
        }

        if (firstMoment.Length != n)
        {
            throw new ArgumentException($"The first moment has {firstMoment.Length} entries but there are {n} parameters.", nameof(firstMoment));
        }

        if (secondMoment.Length != n)
        {
            throw new ArgumentException($"The second moment has {secondMoment.Length} entries but there are {n} parameters.", nameof(secondMoment));
        }

        if (amsgrad && maxSecondMoment.Length != n)
        {
            throw new ArgumentException(
                $"AMSGrad needs a maximum second moment of {n} entries; got {maxSecondMoment.Length}.", nameof(maxSecondMoment));
        }
    }
}
