using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Managed SIMD binary logistic loss for dense batches: logits from blocks of 4 rows sharing each loaded vector of w,
/// then <c>g += r_i x_i</c> row-wise while the 4 rows are still in L1 (when g fits in L1), or else
/// <c>g = X^T r</c> from column strips of 8 vectors kept in registers over all rows of a cache-sized chunk.
/// </summary>
internal sealed unsafe class DenseLogisticGradientKernel : IGradientKernel
{
    private readonly bool _rowWise;
    private readonly int _chunkRows;
    private readonly float[] _scores;
    private readonly float[] _zeroRow;
    private double _totalWeight;
    private double _correctWeight;

    /// <summary>Creates a kernel for <paramref name="shape"/> (binary).</summary>
    /// <param name="shape">A binary shape (<see cref="ModelShape.Binary"/>).</param>
    public DenseLogisticGradientKernel(ModelShape shape)
        : this(shape, allowRowWise: true)
    {
    }

    // allowRowWise: false lets tests and benchmarks run the chunked path on shapes whose gradient fits in L1.
    internal DenseLogisticGradientKernel(ModelShape shape, bool allowRowWise)
    {
        if (!shape.IsBinary)
        {
            throw new ArgumentException("This kernel needs a binary shape.", nameof(shape));
        }

        Shape = shape;
        _rowWise = allowRowWise && DenseChunking.GradientFitsInL1(shape.WeightCount);
        _chunkRows = _rowWise ? 4 : DenseChunking.RowsPerChunk(shape.FeatureCount);
        _scores = new float[_chunkRows];
        _zeroRow = new float[shape.FeatureCount];
    }

    /// <inheritdoc/>
    public string Name => "managed-dense-logistic";

    /// <inheritdoc/>
    public ModelShape Shape { get; }

    // Tests turn this off to run the Vector256 body on AVX-512 machines.
    internal bool UseVector512 { get; init; } = Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    public double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, gradient, sparse: false, hasGradient: true);
        gradient.Clear();
        return UseVector512
            ? Run<Simd512, Vector512<float>>(batch, start, count, parameters, gradient, lossOnly: false)
            : Run<Simd256, Vector256<float>>(batch, start, count, parameters, gradient, lossOnly: false);
    }

    /// <inheritdoc/>
    public LossSummary Loss(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, default, sparse: false, hasGradient: false);
        double loss = UseVector512
            ? Run<Simd512, Vector512<float>>(batch, start, count, parameters, default, lossOnly: true)
            : Run<Simd256, Vector256<float>>(batch, start, count, parameters, default, lossOnly: true);
        return new LossSummary(loss, _totalWeight, _correctWeight);
    }

    // Fully optimized from the first call: a training run's first batches (and short benchmarks) must not run tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Run<TS, TV>(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient, bool lossOnly)
        where TS : ISimd<TV>
        where TV : struct
    {
        int f = Shape.FeatureCount;
        var labels = batch.Labels;
        var weights = batch.Weights;
        double loss = 0;
        _totalWeight = 0;
        _correctWeight = 0;
        fixed (float* xAll = batch.DenseValues, w = parameters, g = gradient, scores = _scores, zero = _zeroRow)
        {
            float bias = w[f];
            double biasGradient = 0;
            for (int chunk = start; chunk < start + count; chunk += _chunkRows)
            {
                int n = Math.Min(_chunkRows, start + count - chunk);
                float* x = xAll + ((nint)chunk * f);
                for (int i = 0; i < n; i += 4)
                {
                    float* x0 = x + ((nint)i * f);
                    float* x1 = i + 1 < n ? x0 + f : zero;
                    float* x2 = i + 2 < n ? x0 + (2 * f) : zero;
                    float* x3 = i + 3 < n ? x0 + (3 * f) : zero;
                    DenseDotMicroKernels.Dot4x1<TS, TV>(x0, x1, x2, x3, w, f, scores + i);
                }

                for (int i = 0; i < n; i++)
                {
                    int row = chunk + i;
                    int label = labels[row];
                    GradientKernelSupport.CheckLabel(Shape, label, row);
                    double z = GradientKernelSupport.RepairDense(scores[i] + bias, x + ((nint)i * f), w, f, bias);
                    float weight = weights[row];
                    loss += weight * LogisticMath.Loss(z, label);
                    if (lossOnly)
                    {
                        _totalWeight += weight;
                        _correctWeight += LogisticMath.IsCorrect(z, label) ? weight : 0;
                    }
                    else
                    {
                        float residual = (float)(weight * (LogisticMath.Sigmoid(z) - label));
                        scores[i] = residual;
                        biasGradient += residual;
                    }
                }

                if (!lossOnly)
                {
                    AccumulateGradient<TS, TV>(x, n, scores, g);
                }
            }

            if (!lossOnly)
            {
                g[f] = (float)biasGradient;
            }
        }

        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateGradient<TS, TV>(float* x, int n, float* residuals, float* g)
        where TS : ISimd<TV>
        where TV : struct
    {
        int f = Shape.FeatureCount;
        if (_rowWise)
        {
            fixed (float* zero = _zeroRow)
            {
                float* x1 = n > 1 ? x + f : zero, x2 = n > 2 ? x + (2 * f) : zero, x3 = n > 3 ? x + (3 * f) : zero;
                DenseOuterMicroKernels.Rows4<TS, TV>(x, x1, x2, x3, residuals[0], residuals[1], residuals[2], residuals[3], g, f);
            }

            return;
        }

        int strip = DenseOuterMicroKernels.SingleClassStripVectors * TS.Count;
        int stripEnd = f - (f % strip);
        for (int j = 0; j < stripEnd; j += strip)
        {
            DenseOuterMicroKernels.Outer1Class<TS, TV>(x + j, f, n, residuals, 1, g + j);
        }

        DenseOuterMicroKernels.OuterColumns<TS, TV>(x, f, n, residuals, 1, 1, g, g, g, g, stripEnd, f);
    }
}
