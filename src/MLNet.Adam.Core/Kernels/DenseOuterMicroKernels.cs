using System.Runtime.CompilerServices;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Register-blocked gradient accumulation <c>G[c, j] += sum_i r[i, c] * x[i, j]</c> over a strip of columns: the
/// strip's accumulators stay in registers for the whole pass over the rows, so G is read and written once per strip
/// and each loaded vector of x feeds every class of the block.
/// </summary>
/// <remarks>
/// <c>x</c> points at the strip's first column of row 0 (row stride <c>ldx</c>); <c>r</c> at the block's first class
/// of row 0 (row stride <c>ldr</c>); <c>g*</c> at the strip's first column of each class's gradient row.
/// </remarks>
internal static unsafe class DenseOuterMicroKernels
{
    /// <summary>Number of vectors in the column strip of <see cref="Outer4Classes"/> and <see cref="Outer2Classes"/>.</summary>
    public const int StripVectors = 4;

    /// <summary>Number of vectors in the column strip of <see cref="Outer1Class"/>.</summary>
    public const int SingleClassStripVectors = 8;

    /// <summary>4 classes x 4 vectors of columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Outer4Classes<TS, TV>(float* x, int ldx, int rows, float* r, int ldr, float* g0, float* g1, float* g2, float* g3)
        where TS : ISimd<TV>
        where TV : struct
    {
        int n = TS.Count;
        TV a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a03 = TS.Zero;
        TV a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero, a13 = TS.Zero;
        TV a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero, a23 = TS.Zero;
        TV a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero, a33 = TS.Zero;
        for (int i = 0; i < rows; i++)
        {
            TV x0 = TS.Load(x), x1 = TS.Load(x + n), x2 = TS.Load(x + (2 * n)), x3 = TS.Load(x + (3 * n));
            TV b = TS.Broadcast(r[0]);
            a00 = TS.MultiplyAdd(b, x0, a00); a01 = TS.MultiplyAdd(b, x1, a01); a02 = TS.MultiplyAdd(b, x2, a02); a03 = TS.MultiplyAdd(b, x3, a03);
            b = TS.Broadcast(r[1]);
            a10 = TS.MultiplyAdd(b, x0, a10); a11 = TS.MultiplyAdd(b, x1, a11); a12 = TS.MultiplyAdd(b, x2, a12); a13 = TS.MultiplyAdd(b, x3, a13);
            b = TS.Broadcast(r[2]);
            a20 = TS.MultiplyAdd(b, x0, a20); a21 = TS.MultiplyAdd(b, x1, a21); a22 = TS.MultiplyAdd(b, x2, a22); a23 = TS.MultiplyAdd(b, x3, a23);
            b = TS.Broadcast(r[3]);
            a30 = TS.MultiplyAdd(b, x0, a30); a31 = TS.MultiplyAdd(b, x1, a31); a32 = TS.MultiplyAdd(b, x2, a32); a33 = TS.MultiplyAdd(b, x3, a33);
            x += ldx;
            r += ldr;
        }

        AddTo<TS, TV>(g0, a00, a01, a02, a03);
        AddTo<TS, TV>(g1, a10, a11, a12, a13);
        AddTo<TS, TV>(g2, a20, a21, a22, a23);
        AddTo<TS, TV>(g3, a30, a31, a32, a33);
    }

    /// <summary>
    /// 6 classes x 4 vectors of columns (24 accumulators): with many classes the rows' strip is re-read from L2 once
    /// per class block, and this shape needs a third fewer of those reads per multiply-add than 4 classes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Outer6Classes<TS, TV>(float* x, int ldx, int rows, float* r, int ldr, float* g, int ldg)
        where TS : ISimd<TV>
        where TV : struct
    {
        int n = TS.Count;
        TV a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a03 = TS.Zero;
        TV a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero, a13 = TS.Zero;
        TV a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero, a23 = TS.Zero;
        TV a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero, a33 = TS.Zero;
        TV a40 = TS.Zero, a41 = TS.Zero, a42 = TS.Zero, a43 = TS.Zero;
        TV a50 = TS.Zero, a51 = TS.Zero, a52 = TS.Zero, a53 = TS.Zero;
        for (int i = 0; i < rows; i++)
        {
            TV x0 = TS.Load(x), x1 = TS.Load(x + n), x2 = TS.Load(x + (2 * n)), x3 = TS.Load(x + (3 * n));
            TV b = TS.Broadcast(r[0]);
            a00 = TS.MultiplyAdd(b, x0, a00); a01 = TS.MultiplyAdd(b, x1, a01); a02 = TS.MultiplyAdd(b, x2, a02); a03 = TS.MultiplyAdd(b, x3, a03);
            b = TS.Broadcast(r[1]);
            a10 = TS.MultiplyAdd(b, x0, a10); a11 = TS.MultiplyAdd(b, x1, a11); a12 = TS.MultiplyAdd(b, x2, a12); a13 = TS.MultiplyAdd(b, x3, a13);
            b = TS.Broadcast(r[2]);
            a20 = TS.MultiplyAdd(b, x0, a20); a21 = TS.MultiplyAdd(b, x1, a21); a22 = TS.MultiplyAdd(b, x2, a22); a23 = TS.MultiplyAdd(b, x3, a23);
            b = TS.Broadcast(r[3]);
            a30 = TS.MultiplyAdd(b, x0, a30); a31 = TS.MultiplyAdd(b, x1, a31); a32 = TS.MultiplyAdd(b, x2, a32); a33 = TS.MultiplyAdd(b, x3, a33);
            b = TS.Broadcast(r[4]);
            a40 = TS.MultiplyAdd(b, x0, a40); a41 = TS.MultiplyAdd(b, x1, a41); a42 = TS.MultiplyAdd(b, x2, a42); a43 = TS.MultiplyAdd(b, x3, a43);
            b = TS.Broadcast(r[5]);
            a50 = TS.MultiplyAdd(b, x0, a50); a51 = TS.MultiplyAdd(b, x1, a51); a52 = TS.MultiplyAdd(b, x2, a52); a53 = TS.MultiplyAdd(b, x3, a53);
            x += ldx;
            r += ldr;
        }

        AddTo<TS, TV>(g, a00, a01, a02, a03);
        AddTo<TS, TV>(g + ldg, a10, a11, a12, a13);
        AddTo<TS, TV>(g + (2 * ldg), a20, a21, a22, a23);
        AddTo<TS, TV>(g + (3 * ldg), a30, a31, a32, a33);
        AddTo<TS, TV>(g + (4 * ldg), a40, a41, a42, a43);
        AddTo<TS, TV>(g + (5 * ldg), a50, a51, a52, a53);
    }

    /// <summary>2 classes x 4 vectors of columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Outer2Classes<TS, TV>(float* x, int ldx, int rows, float* r, int ldr, float* g0, float* g1)
        where TS : ISimd<TV>
        where TV : struct
    {
        int n = TS.Count;
        TV a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a03 = TS.Zero;
        TV a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero, a13 = TS.Zero;
        for (int i = 0; i < rows; i++)
        {
            TV x0 = TS.Load(x), x1 = TS.Load(x + n), x2 = TS.Load(x + (2 * n)), x3 = TS.Load(x + (3 * n));
            TV b = TS.Broadcast(r[0]);
            a00 = TS.MultiplyAdd(b, x0, a00); a01 = TS.MultiplyAdd(b, x1, a01); a02 = TS.MultiplyAdd(b, x2, a02); a03 = TS.MultiplyAdd(b, x3, a03);
            b = TS.Broadcast(r[1]);
            a10 = TS.MultiplyAdd(b, x0, a10); a11 = TS.MultiplyAdd(b, x1, a11); a12 = TS.MultiplyAdd(b, x2, a12); a13 = TS.MultiplyAdd(b, x3, a13);
            x += ldx;
            r += ldr;
        }

        AddTo<TS, TV>(g0, a00, a01, a02, a03);
        AddTo<TS, TV>(g1, a10, a11, a12, a13);
    }

    /// <summary>1 class x 8 vectors of columns (binary logistic regression).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Outer1Class<TS, TV>(float* x, int ldx, int rows, float* r, int ldr, float* g)
        where TS : ISimd<TV>
        where TV : struct
    {
        int n = TS.Count;
        TV a0 = TS.Zero, a1 = TS.Zero, a2 = TS.Zero, a3 = TS.Zero, a4 = TS.Zero, a5 = TS.Zero, a6 = TS.Zero, a7 = TS.Zero;
        for (int i = 0; i < rows; i++)
        {
            TV b = TS.Broadcast(r[0]);
            a0 = TS.MultiplyAdd(b, TS.Load(x), a0);
            a1 = TS.MultiplyAdd(b, TS.Load(x + n), a1);
            a2 = TS.MultiplyAdd(b, TS.Load(x + (2 * n)), a2);
            a3 = TS.MultiplyAdd(b, TS.Load(x + (3 * n)), a3);
            a4 = TS.MultiplyAdd(b, TS.Load(x + (4 * n)), a4);
            a5 = TS.MultiplyAdd(b, TS.Load(x + (5 * n)), a5);
            a6 = TS.MultiplyAdd(b, TS.Load(x + (6 * n)), a6);
            a7 = TS.MultiplyAdd(b, TS.Load(x + (7 * n)), a7);
            x += ldx;
            r += ldr;
        }

        AddTo<TS, TV>(g, a0, a1, a2, a3);
        AddTo<TS, TV>(g + (4 * n), a4, a5, a6, a7);
    }

    /// <summary>
    /// Up to 4 classes (<paramref name="classes"/>; the others' <c>g*</c> may be any writable row) over columns
    /// <paramref name="from"/> .. <paramref name="to"/> - 1 of full rows: the part the strips do not cover. One vector
    /// of columns at a time with 4 independent accumulators, then scalar columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OuterColumns<TS, TV>(
        float* x, int ldx, int rows, float* r, int ldr, int classes, float* g0, float* g1, float* g2, float* g3, int from, int to)
        where TS : ISimd<TV>
        where TV : struct
    {
        int j = from;
        for (; j <= to - TS.Count; j += TS.Count)
        {
            TV a0 = TS.Zero, a1 = TS.Zero, a2 = TS.Zero, a3 = TS.Zero;
            float* xi = x + j;
            float* ri = r;
            for (int i = 0; i < rows; i++)
            {
                TV v = TS.Load(xi);
                a0 = TS.MultiplyAdd(TS.Broadcast(ri[0]), v, a0);
                if (classes > 1)
                {
                    a1 = TS.MultiplyAdd(TS.Broadcast(ri[1]), v, a1);
                    a2 = TS.MultiplyAdd(TS.Broadcast(ri[classes > 2 ? 2 : 1]), v, a2);
                    a3 = TS.MultiplyAdd(TS.Broadcast(ri[classes > 3 ? 3 : 1]), v, a3);
                }

                xi += ldx;
                ri += ldr;
            }

            TS.Store(TS.Add(TS.Load(g0 + j), a0), g0 + j);
            if (classes > 1)
            {
                TS.Store(TS.Add(TS.Load(g1 + j), a1), g1 + j);
                TS.Store(TS.Add(TS.Load(g2 + j), a2), g2 + j);
                TS.Store(TS.Add(TS.Load(g3 + j), a3), g3 + j);
            }
        }

        for (; j < to; j++)
        {
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (int i = 0; i < rows; i++)
            {
                float v = x[((nint)i * ldx) + j];
                float* ri = r + ((nint)i * ldr);
                a0 += ri[0] * v;
                if (classes > 1)
                {
                    a1 += ri[1] * v;
                    a2 += ri[classes > 2 ? 2 : 1] * v;
                    a3 += ri[classes > 3 ? 3 : 1] * v;
                }
            }

            g0[j] += a0;
            if (classes > 1)
            {
                g1[j] += a1;
                g2[j] += a2;
                g3[j] += a3;
            }
        }
    }

    /// <summary>
    /// <c>g += r0 x0 + r1 x1 + r2 x2 + r3 x3</c> over <paramref name="length"/> columns: the row-wise update used when the
    /// gradient fits in L1, right after the 4 rows' logits, so each row is read from memory once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows4<TS, TV>(float* x0, float* x1, float* x2, float* x3, float r0, float r1, float r2, float r3, float* g, int length)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV b0 = TS.Broadcast(r0), b1 = TS.Broadcast(r1), b2 = TS.Broadcast(r2), b3 = TS.Broadcast(r3);
        int j = 0;
        for (; j <= length - TS.Count; j += TS.Count)
        {
            TV a = TS.MultiplyAdd(b0, TS.Load(x0 + j), TS.Load(g + j));
            TV c = TS.Multiply(b1, TS.Load(x1 + j));
            a = TS.MultiplyAdd(b2, TS.Load(x2 + j), a);
            c = TS.MultiplyAdd(b3, TS.Load(x3 + j), c);
            TS.Store(TS.Add(a, c), g + j);
        }

        for (; j < length; j++)
        {
            g[j] += (r0 * x0[j]) + (r1 * x1[j]) + (r2 * x2[j]) + (r3 * x3[j]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<TS, TV>(float* g, TV a0, TV a1, TV a2, TV a3)
        where TS : ISimd<TV>
        where TV : struct
    {
        int n = TS.Count;
        TS.Store(TS.Add(TS.Load(g), a0), g);
        TS.Store(TS.Add(TS.Load(g + n), a1), g + n);
        TS.Store(TS.Add(TS.Load(g + (2 * n)), a2), g + (2 * n));
        TS.Store(TS.Add(TS.Load(g + (3 * n)), a3), g + (3 * n));
    }
}
