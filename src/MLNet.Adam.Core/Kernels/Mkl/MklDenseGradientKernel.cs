namespace MLNet.Adam.Kernels.Mkl;

/// <summary>
/// Cross-entropy loss and gradient of dense batches with two <c>cblas_sgemm</c> calls per block of rows:
/// logits <c>Z = X W^T</c> (class-major weights) or <c>Z = X W</c> (feature-major), the stable logistic or softmax in
/// managed code (<see cref="LogitBlock"/>), then the weight gradient <c>R^T X</c> (or <c>X^T R</c>) from the weighted
/// residuals R; bias gradients are the column sums of R. The binary model is the one-output case.
/// </summary>
/// <remarks>Keeps a logit buffer that grows with the largest block seen; not thread-safe (one instance per thread).</remarks>
internal sealed unsafe class MklDenseGradientKernel : IGradientKernel
{
    private readonly MklNative _mkl;
    private float[] _logits = [];

    internal MklDenseGradientKernel(MklNative mkl, ModelShape shape)
    {
        _mkl = mkl;
        Shape = shape;
    }

    /// <inheritdoc />
    public string Name => "mkl-sgemm";

    /// <inheritdoc />
    public ModelShape Shape { get; }

    /// <inheritdoc />
    public double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, gradient, sparse: false, hasGradient: true);
        LogitBlock.CheckLabels(Shape, batch, start, count);
        gradient.Clear();
        if (count == 0)
        {
            return 0;
        }

        var logits = ComputeLogits(batch, start, count, parameters);
        var block = new LogitBlock(logits, count, Shape.OutputCount, rowMajor: true);
        double loss = block.ToResiduals(parameters[Shape.WeightCount..], batch.Labels.Slice(start, count), batch.Weights.Slice(start, count), gradient[Shape.WeightCount..]);

        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        fixed (float* x = batch.DenseValues.Slice(start * f, count * f))
        fixed (float* r = logits)
        fixed (float* g = gradient)
        {
            if (Shape.Layout == WeightLayout.ClassMajor)
            {
                _mkl.Sgemm(transposeA: true, transposeB: false, k, f, count, 1f, r, k, x, f, 0f, g, f);
            }
            else
            {
                _mkl.Sgemm(transposeA: true, transposeB: false, f, k, count, 1f, x, f, r, k, 0f, g, k);
            }
        }

        return loss;
    }

    /// <inheritdoc />
    public LossSummary Loss(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, default, sparse: false, hasGradient: false);
        LogitBlock.CheckLabels(Shape, batch, start, count);
        if (count == 0)
        {
            return default;
        }

        var logits = ComputeLogits(batch, start, count, parameters);
        var block = new LogitBlock(logits, count, Shape.OutputCount, rowMajor: true);
        return block.Summarize(parameters[Shape.WeightCount..], batch.Labels.Slice(start, count), batch.Weights.Slice(start, count));
    }

    private Span<float> ComputeLogits(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters)
    {
        _mkl.LimitCallingThread();
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int length = count * k;
        if (_logits.Length < length)
        {
            _logits = new float[length];
        }

        var logits = _logits.AsSpan(0, length);
        fixed (float* x = batch.DenseValues.Slice(start * f, count * f))
        fixed (float* w = parameters)
        fixed (float* z = logits)
        {
            if (Shape.Layout == WeightLayout.ClassMajor)
            {
                _mkl.Sgemm(transposeA: false, transposeB: true, count, k, f, 1f, x, f, w, f, 0f, z, k);
            }
            else
            {
                _mkl.Sgemm(transposeA: false, transposeB: false, count, k, f, 1f, x, f, w, k, 0f, z, k);
            }
        }

        return logits;
    }
}
