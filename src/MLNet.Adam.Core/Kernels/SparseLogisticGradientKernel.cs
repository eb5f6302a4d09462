using System.Runtime.CompilerServices;
using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Binary logistic loss for sparse (CSR) batches: each row's stored entries gather their weights for the logit and
/// scatter <c>r * x_j</c> into the gradient. Rows are never densified, so the cost is proportional to the stored
/// entries (plus one clear of the gradient).
/// </summary>
internal sealed unsafe class SparseLogisticGradientKernel : IGradientKernel
{
    private double _totalWeight;
    private double _correctWeight;

    /// <summary>Creates a kernel for <paramref name="shape"/> (binary).</summary>
    /// <param name="shape">A binary shape (<see cref="ModelShape.Binary"/>).</param>
    public SparseLogisticGradientKernel(ModelShape shape)
    {
        if (!shape.IsBinary)
        {
            throw new ArgumentException("This kernel needs a binary shape.", nameof(shape));
        }

        Shape = shape;
    }

    /// <inheritdoc/>
    public string Name => "managed-sparse-logistic";

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
        var rowStarts = batch.RowStarts;
        var labels = batch.Labels;
        var weights = batch.Weights;
        double loss = 0;
        double biasGradient = 0;
        _totalWeight = 0;
        _correctWeight = 0;
        fixed (int* indices = batch.Indices)
        fixed (float* values = batch.Values, w = parameters, g = gradient)
        {
            float bias = w[f];
            for (int row = start; row < start + count; row++)
            {
                int label = labels[row];
                GradientKernelSupport.CheckLabel(Shape, label, row);
                int begin = rowStarts[row], end = rowStarts[row + 1];
                for (int e = begin; e < end; e++)
                {
                    GradientKernelSupport.CheckIndex(indices[e], f);
                }

                float sum = bias + GradientKernelSupport.SparseDot(indices, values, begin, end, w);

                double z = GradientKernelSupport.RepairSparse(sum, indices, values, begin, end, w, 1, bias);
                float weight = weights[row];
                loss += weight * LogisticMath.Loss(z, label);
                if (lossOnly)
                {
                    _totalWeight += weight;
                    _correctWeight += LogisticMath.IsCorrect(z, label) ? weight : 0;
                    continue;
                }

                float residual = (float)(weight * (LogisticMath.Sigmoid(z) - label));
                biasGradient += residual;
                for (int e = begin; e < end; e++)
                {
                    g[indices[e]] += residual * values[e];
                }
            }

            if (!lossOnly)
            {
                g[f] = (float)biasGradient;
            }
        }

        return loss;
    }
}
