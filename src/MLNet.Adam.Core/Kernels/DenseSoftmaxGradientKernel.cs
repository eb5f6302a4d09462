using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Managed SIMD softmax cross-entropy for dense batches and <see cref="WeightLayout.ClassMajor"/> weights.
/// Logits come from register blocks of 4 rows x 4 classes (4 x 2 when K = 2; 6 x 4 from 8 classes on, reading the
/// weights repacked in 4-class panels, see <see cref="DenseWeightPanels"/>).
/// When the gradient fits in L1 (few classes) it is updated row-wise right after each block of 4 rows, so rows are
/// read from memory once; otherwise rows go in cache-sized chunks and <c>G = R^T X</c> (R the weighted residuals)
/// comes from column strips holding 4 classes x 4 vectors (6 x 4 from 8 classes on) in registers over all rows of
/// the chunk. Classes beyond a multiple of the block read a zero weight row and write their gradient to a scratch row.
/// </summary>
internal sealed unsafe class DenseSoftmaxGradientKernel : IGradientKernel
{
    // From this many classes on (unless the gradient is updated row-wise, 4 rows at a time), logits use 6 x 4 blocks
    // over packed weights and the gradient 6-class tiles: measured 17% faster than 4 x 4 at d = 784, K = 10, and
    // 15% at K = 100, where the packed panels stream from L2.
    private const int WideClassCount = 8;

    private readonly bool _wide;

    private readonly int _blockClasses;
    private readonly int _paddedClasses;
    private readonly bool _rowWise;
    private readonly int _chunkRows;
    private readonly float[] _scores;
    private readonly float[] _zeroRow;
    private readonly float[] _sinkRow;

    // Wide shapes only: the weights in DenseWeightPanels layout, repacked at each call (empty otherwise).
    private readonly float[] _packedWeights;
    private double _totalWeight;
    private double _correctWeight;

    /// <summary>Creates a kernel for <paramref name="shape"/> (softmax, class-major weights).</summary>
    /// <param name="shape">A multiclass shape with <see cref="WeightLayout.ClassMajor"/> layout.</param>
    public DenseSoftmaxGradientKernel(ModelShape shape)
        : this(shape, allowRowWise: true)
    {
    }

    // allowRowWise: false lets tests and benchmarks run the chunked path on shapes whose gradient fits in L1.
    internal DenseSoftmaxGradientKernel(ModelShape shape, bool allowRowWise)
    {
        if (shape.IsBinary || shape.Layout != WeightLayout.ClassMajor)
        {
            throw new ArgumentException("This kernel needs a softmax shape with class-major weights.", nameof(shape));
        }

        Shape = shape;
        _blockClasses = shape.OutputCount == 2 ? 2 : 4;
        _paddedClasses = (shape.OutputCount + _blockClasses - 1) / _blockClasses * _blockClasses;
        _rowWise = allowRowWise && DenseChunking.GradientFitsInL1(shape.WeightCount);
        _chunkRows = _rowWise ? 4 : DenseChunking.RowsPerChunk(shape.FeatureCount);
        // 6-row blocks may run up to 5 rows past a chunk's last row (they read the zero row but write scores).
        _scores = new float[(_chunkRows + 5) * _paddedClasses];
        _zeroRow = new float[shape.FeatureCount];
        _sinkRow = new float[shape.FeatureCount];
        _wide = shape.OutputCount >= WideClassCount && !_rowWise;
        _packedWeights = _wide ? new float[_paddedClasses * shape.FeatureCount] : [];
    }

    /// <inheritdoc/>
    public string Name => "managed-dense-softmax";

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

    // lossOnly: no residuals or gradient; the weight totals go to _totalWeight and _correctWeight.
    // Fully optimized from the first call: a training run's first batches (and short benchmarks) must not run tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Run<TS, TV>(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient, bool lossOnly)
        where TS : ISimd<TV>
        where TV : struct
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        var labels = batch.Labels;
        var weights = batch.Weights;
        double loss = 0;
        _totalWeight = 0;
        _correctWeight = 0;
        fixed (float* xAll = batch.DenseValues, w = parameters, g = gradient, scores = _scores)
        {
            float* bias = w + Shape.WeightCount;
            if (_wide && count > 0)
            {
                fixed (float* zero = _zeroRow, packed = _packedWeights)
                {
                    DenseWeightPanels.Pack<TS, TV>(w, k, f, zero, packed);
                }
            }

            // Equal chunks: a short last chunk would pay a full read and write of the gradient for a few rows.
            int chunks = Math.Max(1, (count + _chunkRows - 1) / _chunkRows);
            int chunkRows = _rowWise ? _chunkRows : Math.Min(_chunkRows, (((count + chunks - 1) / chunks) + 3) / 4 * 4);
            for (int chunk = start; chunk < start + count; chunk += chunkRows)
            {
                int n = Math.Min(chunkRows, start + count - chunk);
                float* x = xAll + ((nint)chunk * f);
                ComputeScores<TS, TV>(x, n, w, scores);
                for (int i = 0; i < n; i++)
                {
                    int row = chunk + i;
                    int label = labels[row];
                    GradientKernelSupport.CheckLabel(Shape, label, row);
                    float* z = scores + ((nint)i * kp);
                    float* xi = x + ((nint)i * f);
                    LogitRows.AddBias<TS, TV>(z, bias, k, xi, w, f);

                    var logits = new Span<float>(z, k);
                    if (!lossOnly)
                    {
                        loss += SoftmaxMath.ResidualsInPlace(logits, label, weights[row], out _);
                        LogitRows.AddTo<TS, TV>(z, g + Shape.WeightCount, k);
                    }
                    else
                    {
                        loss += weights[row] * SoftmaxMath.LossOnly(logits, label, out bool correct);
                        _totalWeight += weights[row];
                        _correctWeight += correct ? weights[row] : 0;
                    }
                }

                if (!lossOnly)
                {
                    AccumulateGradient<TS, TV>(x, n, scores, g);
                }
            }
        }

        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeScores<TS, TV>(float* x, int n, float* w, float* scores)
        where TS : ISimd<TV>
        where TV : struct
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        fixed (float* zero = _zeroRow, packed = _packedWeights)
        {
            if (_wide)
            {
                for (int i = 0; i < n; i += 6)
                {
                    float* x0 = x + ((nint)i * f);
                    float* x1 = i + 1 < n ? x0 + f : zero;
                    float* x2 = i + 2 < n ? x0 + (2 * f) : zero;
                    float* x3 = i + 3 < n ? x0 + (3 * f) : zero;
                    float* x4 = i + 4 < n ? x0 + (4 * f) : zero;
                    float* x5 = i + 5 < n ? x0 + (5 * f) : zero;
                    float* z = scores + ((nint)i * kp);
                    int panelLength = DenseWeightPanels.PanelLength(f, TS.Count);
                    for (int c = 0; c < k; c += 4)
                    {
                        float* w0 = w + ((nint)c * f);
                        float* w1 = c + 1 < k ? w0 + f : zero;
                        float* w2 = c + 2 < k ? w0 + (2 * f) : zero;
                        float* w3 = c + 3 < k ? w0 + (3 * f) : zero;
                        float* panel = packed + ((nint)(c / 4) * panelLength);
                        DenseDotMicroKernels.Dot6x4Packed<TS, TV>(x0, x1, x2, x3, x4, x5, panel, w0, w1, w2, w3, f, z + c, kp);
                    }
                }

                return;
            }

            for (int i = 0; i < n; i += 4)
            {
                float* x0 = x + ((nint)i * f);
                float* x1 = i + 1 < n ? x0 + f : zero;
                float* x2 = i + 2 < n ? x0 + (2 * f) : zero;
                float* x3 = i + 3 < n ? x0 + (3 * f) : zero;
                float* z = scores + ((nint)i * kp);
                if (_blockClasses == 2)
                {
                    DenseDotMicroKernels.Dot4x2<TS, TV>(x0, x1, x2, x3, w, w + f, f, z, kp);
                    continue;
                }

                for (int c = 0; c < k; c += 4)
                {
                    float* w0 = w + ((nint)c * f);
                    float* w1 = c + 1 < k ? w0 + f : zero;
                    float* w2 = c + 2 < k ? w0 + (2 * f) : zero;
                    float* w3 = c + 3 < k ? w0 + (3 * f) : zero;
                    DenseDotMicroKernels.Dot4x4<TS, TV>(x0, x1, x2, x3, w0, w1, w2, w3, f, z + c, kp);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateGradient<TS, TV>(float* x, int n, float* residuals, float* g)
        where TS : ISimd<TV>
        where TV : struct
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        if (_rowWise)
        {
            fixed (float* zero = _zeroRow)
            {
                float* x1 = n > 1 ? x + f : zero, x2 = n > 2 ? x + (2 * f) : zero, x3 = n > 3 ? x + (3 * f) : zero;
                for (int c = 0; c < k; c++)
                {
                    float* r = residuals + c;
                    DenseOuterMicroKernels.Rows4<TS, TV>(x, x1, x2, x3, r[0], r[kp], r[2 * kp], r[3 * kp], g + ((nint)c * f), f);
                }
            }

            return;
        }

        int strip = DenseOuterMicroKernels.StripVectors * TS.Count;
        int stripEnd = f - (f % strip);
        fixed (float* sink = _sinkRow)
        {
            for (int j = 0; j < stripEnd; j += strip)
            {
                if (_blockClasses == 2)
                {
                    DenseOuterMicroKernels.Outer2Classes<TS, TV>(x + j, f, n, residuals, kp, g + j, g + f + j);
                    continue;
                }

                int c = 0;
                if (_wide)
                {
                    for (; c <= k - 6; c += 6)
                    {
                        DenseOuterMicroKernels.Outer6Classes<TS, TV>(x + j, f, n, residuals + c, kp, g + ((nint)c * f) + j, f);
                    }
                }

                for (; c < k; c += 4)
                {
                    float* g0 = g + ((nint)c * f) + j;
                    float* g1 = c + 1 < k ? g0 + f : sink + j;
                    float* g2 = c + 2 < k ? g0 + (2 * f) : sink + j;
                    float* g3 = c + 3 < k ? g0 + (3 * f) : sink + j;
                    DenseOuterMicroKernels.Outer4Classes<TS, TV>(x + j, f, n, residuals + c, kp, g0, g1, g2, g3);
                }
            }

            for (int c = 0; c < k; c += 4)
            {
                float* g0 = g + ((nint)c * f);
                float* g1 = c + 1 < k ? g0 + f : sink;
                float* g2 = c + 2 < k ? g0 + (2 * f) : sink;
                float* g3 = c + 3 < k ? g0 + (3 * f) : sink;
                DenseOuterMicroKernels.OuterColumns<TS, TV>(x, f, n, residuals + c, kp, Math.Min(4, k - c), g0, g1, g2, g3, stripEnd, f);
            }
        }
    }
}
