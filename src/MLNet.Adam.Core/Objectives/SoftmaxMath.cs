using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace MLNet.Adam.Objectives;

/// <summary>
/// Numerically stable softmax cross-entropy of one row of logits, shared by the fast kernels. The reference kernel
/// does the same in double precision.
/// </summary>
internal static class SoftmaxMath
{
    // Below this many classes the per-call overhead of TensorPrimitives outweighs its vectorization.
    private const int ScalarClassLimit = 8;

    /// <summary>
    /// Replaces <paramref name="logits"/> (already saturated to the float range) by the weighted residuals
    /// <c>weight * (softmax(z)_k - [k == label])</c> and returns the weighted loss
    /// <c>weight * (logsumexp(z) - z_label)</c>, computed with the max-shift so that exp never overflows.
    /// </summary>
    /// <param name="logits">K logits in, K residuals out.</param>
    /// <param name="label">The class index (0..K-1).</param>
    /// <param name="weight">The example weight.</param>
    /// <param name="correct">Whether the arg-max class (lowest index on ties) equals the label.</param>
    /// <param name="residualScale">A factor of the residuals only (a gradient's 1 / batch weight); the loss keeps <paramref name="weight"/>.</param>
    // Fully optimized from the first call: a training run's first batches (and short benchmarks) must not run tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ResidualsInPlace(Span<float> logits, int label, float weight, out bool correct, float residualScale = 1f)
    {
        double loss = LossAndShiftedExp(logits, label, out correct, out float sum);
        float residualWeight = weight * residualScale;
        float scale = residualWeight / sum;
        if (logits.Length < ScalarClassLimit)
        {
            for (int k = 0; k < logits.Length; k++)
            {
                logits[k] *= scale;
            }
        }
        else
        {
            TensorPrimitives.Multiply(logits, scale, logits);
        }

        logits[label] -= residualWeight;
        return weight * loss;
    }

    /// <summary>Unweighted loss of one row of logits; <paramref name="logits"/> is used as scratch and destroyed.</summary>
    public static double LossOnly(Span<float> logits, int label, out bool correct) =>
        LossAndShiftedExp(logits, label, out correct, out _);

    /// <summary>Index of the largest logit; the lowest index wins ties, and NaN never wins.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int k = 1; k < logits.Length; k++)
        {
            if (logits[k] > logits[best])
            {
                best = k;
            }
        }

        return best;
    }

    // Leaves exp(z_k - max) in logits and returns logsumexp(z) - z_label in double: max - z_label can exceed the
    // float range when logits are saturated at +-float.MaxValue.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double LossAndShiftedExp(Span<float> logits, int label, out bool correct, out float sum)
    {
        int best = ArgMax(logits);
        correct = best == label;
        float max = logits[best];
        float labelLogit = logits[label];
        if (logits.Length < ScalarClassLimit)
        {
            sum = 0;
            for (int k = 0; k < logits.Length; k++)
            {
                float e = MathF.Exp(logits[k] - max);
                logits[k] = e;
                sum += e;
            }
        }
        else
        {
            TensorPrimitives.Subtract(logits, max, logits);
            TensorPrimitives.Exp(logits, logits);
            sum = TensorPrimitives.Sum(logits);
        }

        return Math.Log(sum) + ((double)max - labelLogit);
    }
}
