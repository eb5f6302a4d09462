using System.Runtime.InteropServices;

namespace MLNet.Adam.Kernels.Mkl;

/// <summary>
/// Cross-entropy loss and gradient of CSR batches with MKL's inspector-free sparse BLAS: the block of rows becomes an
/// <c>mkl_sparse_s_create_csr</c> handle over the batch's own arrays (no copy), logits are
/// <c>mkl_sparse_s_mm(A, W)</c>, the weight gradient <c>mkl_sparse_s_mm(A^T, R)</c>. Class-major weights are read as a
/// column-major F x K matrix and feature-major ones as row-major, so neither layout is transposed in memory.
/// </summary>
/// <remarks>Keeps a logit buffer that grows with the largest block seen; not thread-safe (one instance per thread).</remarks>
internal sealed unsafe class MklSparseGradientKernel : IGradientKernel
{
    private readonly MklNative _mkl;
    private float[] _logits = [];

    internal MklSparseGradientKernel(MklNative mkl, ModelShape shape)
    {
        _mkl = mkl;
        Shape = shape;
    }

    /// <inheritdoc />
    public string Name => "mkl-sparse-mm";

    /// <inheritdoc />
    public ModelShape Shape { get; }

    private bool RowMajor => Shape.Layout == WeightLayout.FeatureMajor || Shape.IsBinary;

    /// <inheritdoc />
    public double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, gradient, sparse: true, hasGradient: true);
        LogitBlock.CheckLabels(Shape, batch, start, count);
        gradient.Clear();
        if (count == 0)
        {
            return 0;
        }

        var labels = batch.Labels.Slice(start, count);
        var weights = batch.Weights.Slice(start, count);
        var biases = parameters[Shape.WeightCount..];
        if (batch.RowStarts[start] == batch.RowStarts[start + count])
        {
            // No stored entry: MKL rejects an empty matrix, and the logits are the biases alone.
            var zeros = Logits(count);
            zeros.Clear();
            return new LogitBlock(zeros, count, Shape.OutputCount, RowMajor).ToResiduals(biases, labels, weights, gradient[Shape.WeightCount..]);
        }

        fixed (int* rowStarts = batch.RowStarts)
        fixed (int* indices = &MemoryMarshal.GetReference(batch.Indices))
        fixed (float* values = &MemoryMarshal.GetReference(batch.Values))
        {
            nint matrix = CreateBlock(batch, start, count, rowStarts, indices, values);
            try
            {
                var logits = Multiply(matrix, count, parameters);
                double loss = new LogitBlock(logits, count, Shape.OutputCount, RowMajor).ToResiduals(biases, labels, weights, gradient[Shape.WeightCount..]);
                int f = Shape.FeatureCount;
                int k = Shape.OutputCount;
                fixed (float* r = logits)
                fixed (float* g = gradient)
                {
                    if (RowMajor)
                    {
                        _mkl.SparseTimesDense(transpose: true, matrix, MklNative.SparseLayoutRowMajor, r, k, k, g, k);
                    }
                    else
                    {
                        _mkl.SparseTimesDense(transpose: true, matrix, MklNative.SparseLayoutColumnMajor, r, k, count, g, f);
                    }
                }

                return loss;
            }
            finally
            {
                _mkl.DestroySparse(matrix);
            }
        }
    }

    /// <inheritdoc />
    public LossSummary Loss(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, default, sparse: true, hasGradient: false);
        LogitBlock.CheckLabels(Shape, batch, start, count);
        if (count == 0)
        {
            return default;
        }

        var labels = batch.Labels.Slice(start, count);
        var weights = batch.Weights.Slice(start, count);
        var biases = parameters[Shape.WeightCount..];
        if (batch.RowStarts[start] == batch.RowStarts[start + count])
        {
            var zeros = Logits(count);
            zeros.Clear();
            return new LogitBlock(zeros, count, Shape.OutputCount, RowMajor).Summarize(biases, labels, weights);
        }

        fixed (int* rowStarts = batch.RowStarts)
        fixed (int* indices = &MemoryMarshal.GetReference(batch.Indices))
        fixed (float* values = &MemoryMarshal.GetReference(batch.Values))
        {
            nint matrix = CreateBlock(batch, start, count, rowStarts, indices, values);
            try
            {
                var logits = Multiply(matrix, count, parameters);
                return new LogitBlock(logits, count, Shape.OutputCount, RowMajor).Summarize(biases, labels, weights);
            }
            finally
            {
                _mkl.DestroySparse(matrix);
            }
        }
    }

    private Span<float> Logits(int count)
    {
        int length = count * Shape.OutputCount;
        if (_logits.Length < length)
        {
            _logits = new float[length];
        }

        return _logits.AsSpan(0, length);
    }

    // Row offsets are absolute positions in the batch's index and value arrays, so the block's handle can share them.
    private nint CreateBlock(MiniBatch batch, int start, int count, int* rowStarts, int* indices, float* values)
    {
        _mkl.LimitCallingThread();
        return _mkl.CreateCsr(count, batch.FeatureCount, rowStarts + start, rowStarts + start + 1, indices, values);
    }

    private Span<float> Multiply(nint matrix, int count, ReadOnlySpan<float> parameters)
    {
        var logits = Logits(count);
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        fixed (float* w = parameters)
        fixed (float* z = logits)
        {
            if (RowMajor)
            {
                _mkl.SparseTimesDense(transpose: false, matrix, MklNative.SparseLayoutRowMajor, w, k, k, z, k);
            }
            else
            {
                _mkl.SparseTimesDense(transpose: false, matrix, MklNative.SparseLayoutColumnMajor, w, k, f, z, count);
            }
        }

        return logits;
    }
}
