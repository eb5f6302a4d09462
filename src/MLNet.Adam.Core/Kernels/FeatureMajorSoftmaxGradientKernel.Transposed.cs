using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels;

/// <content>
/// The batch-transposed path for sparse rows and K &gt;= 16: per chunk of rows, the entries are grouped by feature;
/// each weight row <c>W^T[j, :]</c> is then loaded once into registers and added to the logits of every row that
/// has feature j, and each gradient row <c>G[j, :] = sum x_ij r_i</c> is accumulated in registers and stored once.
/// Rows' logits and residuals (a few hundred KiB) stay in L2 while W and G are streamed in feature order, instead of
/// one cache miss per stored entry. The first chunk stores G rows (so the gradient needs no separate clearing).
/// </content>
/// <remarks>
/// Vectors span <c>Kp = ceil(K/16) * 16</c> classes. Reading past a weight row's end reads the next row (or the
/// biases: K &gt;= 16 keeps that inside the parameters), landing only in padding lanes of the logits, which are
/// cleared before the residuals. Writing past a gradient row's end writes exact zeros (zero residual padding) into
/// the next row, which is written afterwards because rows go in ascending order; the biases are written last.
/// </remarks>
public sealed unsafe partial class FeatureMajorSoftmaxGradientKernel
{
    private const int TransposeChunkRows = 256;

    private SparseTranspose? _transpose;
    private float[]? _scores;

    // Tests and benchmarks turn this off to run the row-by-row path on the same data.
    internal bool AllowTranspose { get; init; } = true;

    private bool UseTranspose(MiniBatch batch, int count) =>
        AllowTranspose && batch.IsSparse && count > 0 && Shape.OutputCount >= 16 && Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double RunTransposed(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient, bool lossOnly)
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        _transpose ??= new SparseTranspose(f);
        _scores ??= new float[TransposeChunkRows * kp];
        var labels = batch.Labels;
        var weights = batch.Weights;
        var rowStarts = batch.RowStarts;
        double loss = 0;
        _totalWeight = 0;
        _correctWeight = 0;
        if (!lossOnly)
        {
            gradient[Shape.WeightCount..].Clear();
        }

        fixed (int* indices = batch.Indices)
        fixed (float* values = batch.Values, w = parameters, g = gradient, scores = _scores)
        {
            float* bias = w + Shape.WeightCount;
            for (int chunk = start; chunk < start + count; chunk += TransposeChunkRows)
            {
                int n = Math.Min(TransposeChunkRows, start + count - chunk);
                _transpose.Build(batch, chunk, n);
                for (int i = 0; i < n; i++)
                {
                    float* z = scores + ((nint)i * kp);
                    new ReadOnlySpan<float>(bias, k).CopyTo(new Span<float>(z, k));
                }

                fixed (int* starts = _transpose.FeatureStarts, rows = _transpose.Rows)
                fixed (float* entries = _transpose.Values)
                {
                    AddWeightRows(starts, rows, entries, w, scores);
                    for (int i = 0; i < n; i++)
                    {
                        int row = chunk + i;
                        int label = labels[row];
                        GradientKernelSupport.CheckLabel(Shape, label, row);
                        float* z = scores + ((nint)i * kp);
                        if (!LogitRows.AllFinite<Simd512, Vector512<float>>(z, k))
                        {
                            for (int c = 0; c < k; c++)
                            {
                                z[c] = GradientKernelSupport.RepairSparse(z[c], indices, values, rowStarts[row], rowStarts[row + 1], w + c, k, bias[c]);
                            }
                        }

                        new Span<float>(z + k, kp - k).Clear();
                        var logits = new Span<float>(z, k);
                        float weight = weights[row];
                        if (lossOnly)
                        {
                            loss += weight * SoftmaxMath.LossOnly(logits, label, out bool correct);
                            _totalWeight += weight;
                            _correctWeight += correct ? weight : 0;
                            continue;
                        }

                        loss += SoftmaxMath.ResidualsInPlace(logits, label, weight, out _);
                    }

                    if (!lossOnly)
                    {
                        AccumulateGradientRows(starts, rows, entries, scores, g, overwrite: chunk == start);
                        for (int i = 0; i < n; i++)
                        {
                            MultiplyAdd(1, scores + ((nint)i * kp), g + Shape.WeightCount, k);
                        }
                    }
                }
            }
        }

        return loss;
    }

    // scores[i, :] += x_ij * W^T[j, :] for every entry, 4 vectors of classes at a time held in registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddWeightRows(int* starts, int* rows, float* entries, float* w, float* scores)
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        int vectors = kp / 16;
        for (int j = 0; j < f; j++)
        {
            int begin = starts[j], end = starts[j + 1];
            if (begin == end)
            {
                continue;
            }

            float* wj = w + ((nint)j * k);
            for (int v = 0; v < vectors; v += 4)
            {
                int m = Math.Min(4, vectors - v);
                float* wv = wj + (16 * v);
                var w0 = Vector512.Load(wv);
                var w1 = m > 1 ? Vector512.Load(wv + 16) : default;
                var w2 = m > 2 ? Vector512.Load(wv + 32) : default;
                var w3 = m > 3 ? Vector512.Load(wv + 48) : default;
                for (int p = begin; p < end; p++)
                {
                    var x = Vector512.Create(entries[p]);
                    float* z = scores + ((nint)rows[p] * kp) + (16 * v);
                    Simd512.Store(Simd512.MultiplyAdd(x, w0, Vector512.Load(z)), z);
                    if (m > 1)
                    {
                        Simd512.Store(Simd512.MultiplyAdd(x, w1, Vector512.Load(z + 16)), z + 16);
                    }

                    if (m > 2)
                    {
                        Simd512.Store(Simd512.MultiplyAdd(x, w2, Vector512.Load(z + 32)), z + 32);
                    }

                    if (m > 3)
                    {
                        Simd512.Store(Simd512.MultiplyAdd(x, w3, Vector512.Load(z + 48)), z + 48);
                    }
                }
            }
        }
    }

    // G[j, :] (+)= sum over feature j's entries of x_ij * r_i, accumulated in registers and written once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateGradientRows(int* starts, int* rows, float* entries, float* residuals, float* g, bool overwrite)
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        int vectors = kp / 16;
        for (int j = 0; j < f; j++)
        {
            int begin = starts[j], end = starts[j + 1];
            if (begin == end && !overwrite)
            {
                continue;
            }

            float* gj = g + ((nint)j * k);
            for (int v = 0; v < vectors; v += 4)
            {
                int m = Math.Min(4, vectors - v);
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int p = begin; p < end; p++)
                {
                    var x = Vector512.Create(entries[p]);
                    float* r = residuals + ((nint)rows[p] * kp) + (16 * v);
                    a0 = Simd512.MultiplyAdd(x, Vector512.Load(r), a0);
                    a1 = m > 1 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 16), a1) : a1;
                    a2 = m > 2 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 32), a2) : a2;
                    a3 = m > 3 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 48), a3) : a3;
                }

                float* gv = gj + (16 * v);
                StoreOrAdd(a0, gv, overwrite);
                if (m > 1)
                {
                    StoreOrAdd(a1, gv + 16, overwrite);
                }

                if (m > 2)
                {
                    StoreOrAdd(a2, gv + 32, overwrite);
                }

                if (m > 3)
                {
                    StoreOrAdd(a3, gv + 48, overwrite);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOrAdd(Vector512<float> value, float* destination, bool overwrite) =>
        (overwrite ? value : value + Vector512.Load(destination)).Store(destination);
}
