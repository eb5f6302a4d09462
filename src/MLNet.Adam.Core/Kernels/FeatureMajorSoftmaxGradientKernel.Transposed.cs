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
internal sealed unsafe partial class FeatureMajorSoftmaxGradientKernel
{
    private const int TransposeChunkRows = 256;

    private SparseTranspose? _transpose;
    // Pinned, so the 64-byte-aligned start found once stays aligned: with rows of whole vectors, no score access then
    // splits a cache line (unaligned, every one did, which cost about a quarter of the kernel's time).
    private float[]? _scores;
    private int _scoresStart;

    // Tests and benchmarks turn this off to run the row-by-row path on the same data.
    internal bool AllowTranspose { get; init; } = true;

    private bool UseTranspose(MiniBatch batch, int count) =>
        AllowTranspose && batch.IsSparse && count > 0 && Shape.OutputCount >= 16 && Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double RunTransposed(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient, bool lossOnly, float scale = 1f)
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        _transpose ??= new SparseTranspose(f);
        if (_scores is null)
        {
            _scores = GC.AllocateArray<float>((TransposeChunkRows * kp) + 16, pinned: true);
            _scoresStart = AlignedStart(_scores);
        }

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
        fixed (float* values = batch.Values, w = parameters, g = gradient, scoresBuffer = _scores)
        {
            float* scores = scoresBuffer + _scoresStart;
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

                        loss += SoftmaxMath.ResidualsInPlace(logits, label, weight, out _, scale);
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

    // scores[i, :] += x_ij * W^T[j, :] for every entry, in blocks of up to 8 vectors (128 classes) whose weights stay
    // in registers while the feature's entries are applied: one pass over the entries per block, so for K <= 128 each
    // entry's row of scores is read and written once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddWeightRows(int* starts, int* rows, float* entries, float* w, float* scores)
    {
        int vectors = _paddedClasses / 16;
        for (int v = 0; v < vectors; v += BlockVectors)
        {
            switch (Math.Min(BlockVectors, vectors - v))
            {
                case 1:
                    AddWeightRows<Vectors1>(starts, rows, entries, w, scores, v);
                    break;
                case 2:
                    AddWeightRows<Vectors2>(starts, rows, entries, w, scores, v);
                    break;
                case 3:
                    AddWeightRows<Vectors3>(starts, rows, entries, w, scores, v);
                    break;
                case 4:
                    AddWeightRows<Vectors4>(starts, rows, entries, w, scores, v);
                    break;
                case 5:
                    AddWeightRows<Vectors5>(starts, rows, entries, w, scores, v);
                    break;
                case 6:
                    AddWeightRows<Vectors6>(starts, rows, entries, w, scores, v);
                    break;
                case 7:
                    AddWeightRows<Vectors7>(starts, rows, entries, w, scores, v);
                    break;
                case 8:
                    AddWeightRows<Vectors8>(starts, rows, entries, w, scores, v);
                    break;
                default:
                    throw new InvalidOperationException("Unreachable: a block holds 1 to 8 vectors.");
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddWeightRows<TCount>(int* starts, int* rows, float* entries, float* w, float* scores, int firstVector)
        where TCount : struct, IVectorCount
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        int offset = 16 * firstVector;
        for (int j = 0; j < f; j++)
        {
            int begin = starts[j], end = starts[j + 1];
            if (begin == end)
            {
                continue;
            }

            float* wj = w + ((nint)j * k) + offset;
            var w0 = Vector512.Load(wj);
            var w1 = TCount.Value > 1 ? Vector512.Load(wj + 16) : default;
            var w2 = TCount.Value > 2 ? Vector512.Load(wj + 32) : default;
            var w3 = TCount.Value > 3 ? Vector512.Load(wj + 48) : default;
            var w4 = TCount.Value > 4 ? Vector512.Load(wj + 64) : default;
            var w5 = TCount.Value > 5 ? Vector512.Load(wj + 80) : default;
            var w6 = TCount.Value > 6 ? Vector512.Load(wj + 96) : default;
            var w7 = TCount.Value > 7 ? Vector512.Load(wj + 112) : default;
            for (int p = begin; p < end; p++)
            {
                var x = Vector512.Create(entries[p]);
                float* z = scores + ((nint)rows[p] * kp) + offset;
                Simd512.Store(Simd512.MultiplyAdd(x, w0, Vector512.Load(z)), z);
                if (TCount.Value > 1)
                {
                    Simd512.Store(Simd512.MultiplyAdd(x, w1, Vector512.Load(z + 16)), z + 16);
                }

                if (TCount.Value > 2)
                {
                    Simd512.Store(Simd512.MultiplyAdd(x, w2, Vector512.Load(z + 32)), z + 32);
                }

                if (TCount.Value > 3)
                {
                    Simd512.Store(Simd512.MultiplyAdd(x, w3, Vector512.Load(z + 48)), z + 48);
                }

                if (TCount.Value > 4)
                {
                    Simd512.Store(Simd512.MultiplyAdd(x, w4, Vector512.Load(z + 64)), z + 64);
                }

                if (TCount.Value > 5)
                {
                    Simd512.Store(Simd512.MultiplyAdd(x, w5, Vector512.Load(z + 80)), z + 80);
                }

                if (TCount.Value > 6)
                {
                    Simd512.Store(Simd512.MultiplyAdd(x, w6, Vector512.Load(z + 96)), z + 96);
                }

                if (TCount.Value > 7)
                {
                    Simd512.Store(Simd512.MultiplyAdd(x, w7, Vector512.Load(z + 112)), z + 112);
                }
            }
        }
    }

    // G[j, :] (+)= sum over feature j's entries of x_ij * r_i, in blocks of up to 8 vectors accumulated in registers and
    // written once. Blocks go last to first: the last block's padding lanes write exact zeros past the end of row j,
    // into the first classes of row j + 1, which the first block's pass then writes (or adds zeros to).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateGradientRows(int* starts, int* rows, float* entries, float* residuals, float* g, bool overwrite)
    {
        int vectors = _paddedClasses / 16;
        for (int v = (vectors - 1) / BlockVectors * BlockVectors; v >= 0; v -= BlockVectors)
        {
            switch (Math.Min(BlockVectors, vectors - v))
            {
                case 1:
                    AccumulateGradientRows<Vectors1>(starts, rows, entries, residuals, g, overwrite, v);
                    break;
                case 2:
                    AccumulateGradientRows<Vectors2>(starts, rows, entries, residuals, g, overwrite, v);
                    break;
                case 3:
                    AccumulateGradientRows<Vectors3>(starts, rows, entries, residuals, g, overwrite, v);
                    break;
                case 4:
                    AccumulateGradientRows<Vectors4>(starts, rows, entries, residuals, g, overwrite, v);
                    break;
                case 5:
                    AccumulateGradientRows<Vectors5>(starts, rows, entries, residuals, g, overwrite, v);
                    break;
                case 6:
                    AccumulateGradientRows<Vectors6>(starts, rows, entries, residuals, g, overwrite, v);
                    break;
                case 7:
                    AccumulateGradientRows<Vectors7>(starts, rows, entries, residuals, g, overwrite, v);
                    break;
                case 8:
                    AccumulateGradientRows<Vectors8>(starts, rows, entries, residuals, g, overwrite, v);
                    break;
                default:
                    throw new InvalidOperationException("Unreachable: a block holds 1 to 8 vectors.");
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateGradientRows<TCount>(
        int* starts, int* rows, float* entries, float* residuals, float* g, bool overwrite, int firstVector)
        where TCount : struct, IVectorCount
    {
        int f = Shape.FeatureCount;
        int k = Shape.OutputCount;
        int kp = _paddedClasses;
        int offset = 16 * firstVector;
        for (int j = 0; j < f; j++)
        {
            int begin = starts[j], end = starts[j + 1];
            if (begin == end && !overwrite)
            {
                continue;
            }

            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int p = begin; p < end; p++)
            {
                var x = Vector512.Create(entries[p]);
                float* r = residuals + ((nint)rows[p] * kp) + offset;
                a0 = Simd512.MultiplyAdd(x, Vector512.Load(r), a0);
                a1 = TCount.Value > 1 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 16), a1) : a1;
                a2 = TCount.Value > 2 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 32), a2) : a2;
                a3 = TCount.Value > 3 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 48), a3) : a3;
                a4 = TCount.Value > 4 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 64), a4) : a4;
                a5 = TCount.Value > 5 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 80), a5) : a5;
                a6 = TCount.Value > 6 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 96), a6) : a6;
                a7 = TCount.Value > 7 ? Simd512.MultiplyAdd(x, Vector512.Load(r + 112), a7) : a7;
            }

            float* gv = g + ((nint)j * k) + offset;
            StoreOrAdd(a0, gv, overwrite);
            if (TCount.Value > 1)
            {
                StoreOrAdd(a1, gv + 16, overwrite);
            }

            if (TCount.Value > 2)
            {
                StoreOrAdd(a2, gv + 32, overwrite);
            }

            if (TCount.Value > 3)
            {
                StoreOrAdd(a3, gv + 48, overwrite);
            }

            if (TCount.Value > 4)
            {
                StoreOrAdd(a4, gv + 64, overwrite);
            }

            if (TCount.Value > 5)
            {
                StoreOrAdd(a5, gv + 80, overwrite);
            }

            if (TCount.Value > 6)
            {
                StoreOrAdd(a6, gv + 96, overwrite);
            }

            if (TCount.Value > 7)
            {
                StoreOrAdd(a7, gv + 112, overwrite);
            }
        }
    }

    private const int BlockVectors = 8;

    /// <summary>A compile-time count of vectors, so each block size gets its own loop without per-entry tests.</summary>
    private interface IVectorCount
    {
        static abstract int Value { get; }
    }

    private readonly struct Vectors1 : IVectorCount
    {
        public static int Value => 1;
    }

    private readonly struct Vectors2 : IVectorCount
    {
        public static int Value => 2;
    }

    private readonly struct Vectors3 : IVectorCount
    {
        public static int Value => 3;
    }

    private readonly struct Vectors4 : IVectorCount
    {
        public static int Value => 4;
    }

    private readonly struct Vectors5 : IVectorCount
    {
        public static int Value => 5;
    }

    private readonly struct Vectors6 : IVectorCount
    {
        public static int Value => 6;
    }

    private readonly struct Vectors7 : IVectorCount
    {
        public static int Value => 7;
    }

    private readonly struct Vectors8 : IVectorCount
    {
        public static int Value => 8;
    }

    /// <summary>The index of the first element of a pinned array that starts a 64-byte cache line.</summary>
    private static int AlignedStart(float[] pinned)
    {
        fixed (float* first = pinned)
        {
            return (int)((64 - ((nuint)first % 64)) % 64 / sizeof(float));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOrAdd(Vector512<float> value, float* destination, bool overwrite) =>
        (overwrite ? value : value + Vector512.Load(destination)).Store(destination);
}
