using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Softmax cross-entropy with <see cref="WeightLayout.FeatureMajor"/> weights (<c>W^T</c>: feature j's K weights are
/// contiguous), for sparse or dense batches. Each stored entry <c>x_j</c> adds <c>x_j * W^T[j, :]</c> to the row's
/// logits and <c>x_j * r</c> to gradient row j, both contiguous over the classes, so the cost per entry is a
/// vectorized axpy of length K whatever the feature count. Dense rows are walked the same way, skipping zeros.
/// Sparse batches with at least 16 classes go instead through the batch's transpose (see the Transposed part),
/// which reads each weight row and writes each gradient row once per chunk of rows.
/// </summary>
internal sealed unsafe partial class FeatureMajorSoftmaxGradientKernel : IGradientKernel
{
    private readonly float[] _logits;
    private readonly int _paddedClasses;
    private double _totalWeight;
    private double _correctWeight;

    /// <summary>Creates a kernel for <paramref name="shape"/> (softmax, feature-major weights).</summary>
    /// <param name="shape">A multiclass shape with <see cref="WeightLayout.FeatureMajor"/> layout.</param>
    public FeatureMajorSoftmaxGradientKernel(ModelShape shape)
    {
        if (shape.IsBinary || shape.Layout != WeightLayout.FeatureMajor)
        {
            throw new ArgumentException("This kernel needs a softmax shape with feature-major weights.", nameof(shape));
        }

        Shape = shape;
        _logits = new float[shape.OutputCount];
        _paddedClasses = (shape.OutputCount + 15) / 16 * 16;
    }

    /// <inheritdoc/>
    public string Name => "managed-feature-major-softmax";

    /// <inheritdoc/>
    public ModelShape Shape { get; }

    /// <inheritdoc/>
    public double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient)
        => LossAndGradient(batch, start, count, parameters, gradient, 1f);

    /// <inheritdoc/>
    /// <remarks>Each row's residuals are multiplied by <paramref name="scale"/> before they are accumulated.</remarks>
    public double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient, float scale)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, gradient, sparse: null, hasGradient: true);
        if (UseTranspose(batch, count))
        {
            return RunTransposed(batch, start, count, parameters, gradient, lossOnly: false, scale);
        }

        gradient.Clear();
        return Run(batch, start, count, parameters, gradient, lossOnly: false, scale);
    }

    /// <inheritdoc/>
    public LossSummary Loss(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, default, sparse: null, hasGradient: false);
        double loss = UseTranspose(batch, count)
            ? RunTransposed(batch, start, count, parameters, default, lossOnly: true)
            : Run(batch, start, count, parameters, default, lossOnly: true);
        return new LossSummary(loss, _totalWeight, _correctWeight);
    }

    // Fully optimized from the first call: a training run's first batches (and short benchmarks) must not run tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Run(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient, bool lossOnly, float scale = 1f)
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        bool sparse = batch.IsSparse;
        var rowStarts = batch.RowStarts;
        var labels = batch.Labels;
        var weights = batch.Weights;
        double loss = 0;
        _totalWeight = 0;
        _correctWeight = 0;
        fixed (int* indices = batch.Indices)
        fixed (float* values = batch.Values, dense = batch.DenseValues, w = parameters, g = gradient, z = _logits)
        {
            float* bias = w + Shape.WeightCount;
            for (int row = start; row < start + count; row++)
            {
                int label = labels[row];
                GradientKernelSupport.CheckLabel(Shape, label, row);
                int begin = sparse ? rowStarts[row] : 0;
                int end = sparse ? rowStarts[row + 1] : f;
                float* x = sparse ? values : dense + ((nint)row * f);
                new ReadOnlySpan<float>(bias, k).CopyTo(_logits);
                for (int e = begin; e < end; e++)
                {
                    int j = sparse ? indices[e] : e;
                    GradientKernelSupport.CheckIndex(j, f);
                    if (sparse && e + PrefetchDistance < end)
                    {
                        Prefetch(w + ((nint)indices[e + PrefetchDistance] * k), k);
                    }

                    if (x[e] != 0)
                    {
                        MultiplyAdd(x[e], w + ((nint)j * k), z, k);
                    }
                }

                for (int c = 0; c < k; c++)
                {
                    z[c] = GradientKernelSupport.RepairSparse(z[c], sparse ? indices : null, x, begin, end, w + c, k, bias[c]);
                }

                var logits = _logits.AsSpan();
                float weight = weights[row];
                if (lossOnly)
                {
                    loss += weight * SoftmaxMath.LossOnly(logits, label, out bool correct);
                    _totalWeight += weight;
                    _correctWeight += correct ? weight : 0;
                    continue;
                }

                loss += SoftmaxMath.ResidualsInPlace(logits, label, weight, out _, scale);
                MultiplyAdd(1, z, g + Shape.WeightCount, k);
                for (int e = begin; e < end; e++)
                {
                    if (sparse && e + PrefetchDistance < end)
                    {
                        Prefetch(g + ((nint)indices[e + PrefetchDistance] * k), k);
                    }

                    if (x[e] != 0)
                    {
                        int j = sparse ? indices[e] : e;
                        MultiplyAdd(x[e], z, g + ((nint)j * k), k);
                    }
                }
            }
        }

        return loss;
    }

    // Rows of W^T and G are scattered over megabytes: fetching a later entry's row while this one computes hides
    // most of the cache-miss latency, which otherwise dominates for sparse rows. (A prefetch never faults, so an
    // index not yet checked is harmless.)
    private const int PrefetchDistance = 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(float* row, int length)
    {
        if (Sse.IsSupported)
        {
            for (int o = 0; o < length; o += 16)
            {
                Sse.Prefetch0(row + o);
            }
        }
    }

    /// <summary><c>y[0..n) += a * x[0..n)</c> with the widest vectors available, narrowing for the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd(float a, float* x, float* y, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i <= n - 16; i += 16)
            {
                (Vector512.Load(y + i) + (va * Vector512.Load(x + i))).Store(y + i);
            }
        }

        var vb = Vector256.Create(a);
        for (; i <= n - 8; i += 8)
        {
            (Vector256.Load(y + i) + (vb * Vector256.Load(x + i))).Store(y + i);
        }

        if (i <= n - 4)
        {
            (Vector128.Load(y + i) + (Vector128.Create(a) * Vector128.Load(x + i))).Store(y + i);
            i += 4;
        }

        for (; i < n; i++)
        {
            y[i] += a * x[i];
        }
    }
}
