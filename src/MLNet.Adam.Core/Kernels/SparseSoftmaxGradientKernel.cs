using System.Runtime.CompilerServices;
using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Softmax cross-entropy for sparse (CSR) batches and <see cref="WeightLayout.ClassMajor"/> weights: per class, the
/// row's stored entries gather from that class's weight row and scatter into its gradient row. Meant for few
/// classes; with many classes prefer <see cref="WeightLayout.FeatureMajor"/> and <see cref="FeatureMajorSoftmaxGradientKernel"/>.
/// </summary>
internal sealed unsafe class SparseSoftmaxGradientKernel : IGradientKernel
{
    private readonly float[] _logits;
    private double _totalWeight;
    private double _correctWeight;

    /// <summary>Creates a kernel for <paramref name="shape"/> (softmax, class-major weights).</summary>
    /// <param name="shape">A multiclass shape with <see cref="WeightLayout.ClassMajor"/> layout.</param>
    public SparseSoftmaxGradientKernel(ModelShape shape)
    {
        if (shape.IsBinary || shape.Layout != WeightLayout.ClassMajor)
        {
            throw new ArgumentException("This kernel needs a softmax shape with class-major weights.", nameof(shape));
        }

        Shape = shape;
        _logits = new float[shape.OutputCount];
    }

    /// <inheritdoc/>
    public string Name => "managed-sparse-softmax";

    /// <inheritdoc/>
    public ModelShape Shape { get; }

    /// <inheritdoc/>
    public double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, gradient, sparse: true, hasGradient: true);
        gradient.Clear();
        return Run(batch, start, count, parameters, gradient, lossOnly: false);
    }

    /// <inheritdoc/>
    public LossSummary Loss(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, default, sparse: true, hasGradient: false);
        double loss = Run(batch, start, count, parameters, default, lossOnly: true);
        return new LossSummary(loss, _totalWeight, _correctWeight);
    }

    // Fully optimized from the first call: a training run's first batches (and short benchmarks) must not run tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Run(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient, bool lossOnly)
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        var rowStarts = batch.RowStarts;
        var labels = batch.Labels;
        var weights = batch.Weights;
        double loss = 0;
        _totalWeight = 0;
        _correctWeight = 0;
        fixed (int* indices = batch.Indices)
        fixed (float* values = batch.Values, w = parameters, g = gradient, z = _logits)
        {
            float* bias = w + Shape.WeightCount;
            for (int row = start; row < start + count; row++)
            {
                int label = labels[row];
                GradientKernelSupport.CheckLabel(Shape, label, row);
                int begin = rowStarts[row], end = rowStarts[row + 1];
                for (int e = begin; e < end; e++)
                {
                    GradientKernelSupport.CheckIndex(indices[e], f);
                }

                for (int c = 0; c < k; c++)
                {
                    float* wc = w + ((nint)c * f);
                    float sum = bias[c] + GradientKernelSupport.SparseDot(indices, values, begin, end, wc);

                    z[c] = GradientKernelSupport.RepairSparse(sum, indices, values, begin, end, wc, 1, bias[c]);
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

                loss += SoftmaxMath.ResidualsInPlace(logits, label, weight, out _);
                for (int c = 0; c < k; c++)
                {
                    float r = z[c];
                    float* gc = g + ((nint)c * f);
                    g[Shape.WeightCount + c] += r;
                    for (int e = begin; e < end; e++)
                    {
                        gc[indices[e]] += r * values[e];
                    }
                }
            }
        }

        return loss;
    }
}
