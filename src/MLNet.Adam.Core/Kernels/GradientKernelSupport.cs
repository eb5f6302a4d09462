using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels;

/// <summary>Argument checks and the overflow repair shared by every gradient kernel.</summary>
internal static unsafe class GradientKernelSupport
{
    /// <summary>Checks the batch, the row range and the span lengths against the kernel's shape.</summary>
    /// <param name="shape">The kernel's model shape.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="start">First row.</param>
    /// <param name="count">Number of rows.</param>
    /// <param name="parameters">The parameters.</param>
    /// <param name="gradient">The gradient, or an empty span when none is computed.</param>
    /// <param name="sparse">The batch format the kernel requires, or null when it takes both.</param>
    /// <param name="hasGradient">Whether <paramref name="gradient"/> must have the parameter count.</param>
    public static void Validate(
        ModelShape shape, MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradient, bool? sparse, bool hasGradient)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.FeatureCount != shape.FeatureCount)
        {
            throw new ArgumentException(
                $"The batch has {batch.FeatureCount} features but the model has {shape.FeatureCount}.", nameof(batch));
        }

        if (sparse is bool required && batch.IsSparse != required)
        {
            throw new ArgumentException(
                $"This kernel takes {(required ? "sparse" : "dense")} batches; use another kernel for this batch.", nameof(batch));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + count > batch.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, $"Rows {start}..{start + count - 1} exceed the batch's {batch.Count} rows.");
        }

        if (parameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException(
                $"Expected {shape.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        if (hasGradient && gradient.Length != shape.ParameterCount)
        {
            throw new ArgumentException(
                $"Expected a gradient of length {shape.ParameterCount}, got {gradient.Length}.", nameof(gradient));
        }
    }

    /// <summary>Throws unless <paramref name="label"/> is a class index of <paramref name="shape"/> (0 or 1 when binary).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckLabel(ModelShape shape, int label, int row)
    {
        int classes = shape.IsBinary ? 2 : shape.OutputCount;
        if ((uint)label >= (uint)classes)
        {
            ThrowLabel(label, row, classes);
        }
    }

    /// <summary>Throws unless a sparse column index is a feature of the model (the fast kernels use raw pointers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckIndex(int index, int featureCount)
    {
        if ((uint)index >= (uint)featureCount)
        {
            ThrowIndex(index, featureCount);
        }
    }

    /// <summary>
    /// <c>sum_e values[e] * w[indices[e]]</c> for e in <paramref name="begin"/> .. <paramref name="end"/> - 1, with four
    /// partial sums so that consecutive entries do not wait on each other's addition. Indices must be checked.
    /// </summary>
    public static float SparseDot(int* indices, float* values, int begin, int end, float* w)
    {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int e = begin;
        for (; e <= end - 4; e += 4)
        {
            s0 += values[e] * w[indices[e]];
            s1 += values[e + 1] * w[indices[e + 1]];
            s2 += values[e + 2] * w[indices[e + 2]];
            s3 += values[e + 3] * w[indices[e + 3]];
        }

        for (; e < end; e++)
        {
            s0 += values[e] * w[indices[e]];
        }

        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>
    /// A float logit that overflowed (an infinite or NaN partial sum from finite inputs) is recomputed in double and
    /// saturated; a finite logit is returned unchanged. NaN inputs still give NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RepairDense(float logit, float* x, float* w, int length, float bias) =>
        float.IsFinite(logit) ? logit : RecomputeDense(x, w, length, bias);

    /// <summary>
    /// Sparse twin of <see cref="RepairDense"/> over entries <paramref name="begin"/> .. <paramref name="end"/> - 1:
    /// entry e has value <c>values[e]</c> and feature <c>indices[e]</c> (or e when <paramref name="indices"/> is null,
    /// a dense row), whose weight is <c>w[feature * stride]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RepairSparse(float logit, int* indices, float* values, int begin, int end, float* w, int stride, float bias) =>
        float.IsFinite(logit) ? logit : RecomputeSparse(indices, values, begin, end, w, stride, bias);

    // Rare (overflow only), so kept out of line: the callers run once per logit.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float RecomputeDense(float* x, float* w, int length, float bias)
    {
        double sum = bias;
        for (int j = 0; j < length; j++)
        {
            sum += (double)x[j] * w[j];
        }

        return (float)LogisticMath.Saturate(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float RecomputeSparse(int* indices, float* values, int begin, int end, float* w, int stride, float bias)
    {
        double sum = bias;
        for (int e = begin; e < end; e++)
        {
            int j = indices is null ? e : indices[e];
            sum += (double)values[e] * w[(nint)j * stride];
        }

        return (float)LogisticMath.Saturate(sum);
    }

    // Throwing lives in separate methods so that the checks above stay small enough to inline into hot loops.
    [DoesNotReturn]
    private static void ThrowLabel(int label, int row, int classes) =>
        throw new ArgumentOutOfRangeException("batch", label, $"Row {row} has label {label}; expected a class index in 0..{classes - 1}.");

    [DoesNotReturn]
    private static void ThrowIndex(int index, int featureCount) =>
        throw new ArgumentOutOfRangeException("batch", index, $"Sparse feature index {index} is outside 0..{featureCount - 1}.");
}
