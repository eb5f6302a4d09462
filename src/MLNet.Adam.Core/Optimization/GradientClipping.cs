using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MLNet.Adam.Optimization;

/// <summary>Gradient clipping.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales <paramref name="gradient"/> in place so its L2 norm is at most <paramref name="maxNorm"/>; returns the norm
    /// before clipping. The norm is accumulated in double precision, so it neither overflows nor loses small entries.
    /// </summary>
    /// <param name="gradient">The gradient, scaled in place when its norm exceeds <paramref name="maxNorm"/>.</param>
    /// <param name="maxNorm">The largest allowed norm; positive.</param>
    /// <returns>The norm before clipping. When it is not finite (an infinite or NaN entry) the gradient is left unchanged, so the caller sees the divergence.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive, or is NaN.</exception>
    public static double ClipByGlobalNorm(Span<float> gradient, float maxNorm)
    {
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxNorm), maxNorm, string.Create(CultureInfo.InvariantCulture, $"The maximum norm must be positive; got {maxNorm:R}."));
        }

        double norm = Math.Sqrt(SumOfSquares(gradient));
        if (norm > maxNorm && double.IsFinite(norm))
        {
            float scale = (float)(maxNorm / norm);
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, scale, gradient);
        }

        return norm;
    }

    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        var sum = Vector<double>.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            foreach (var x in vectors)
            {
                Vector.Widen(x, out var low, out var high);
                sum += (low * low) + (high * high);
            }

            i = vectors.Length * Vector<float>.Count;
        }

        double total = Vector.Sum(sum);
        for (; i < values.Length; i++)
        {
            total += (double)values[i] * values[i];
        }

        return total;
    }
}
