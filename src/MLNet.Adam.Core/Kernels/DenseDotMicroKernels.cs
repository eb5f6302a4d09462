using System.Runtime.CompilerServices;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Register-blocked dot products of dense rows: a block of 4 rows times C weight rows keeps 4*C accumulators in
/// registers, so every loaded vector of x feeds C multiply-adds and every loaded vector of W feeds 4.
/// Results are written to <c>z[r * ldz + c]</c>; bias is not added.
/// </summary>
internal static unsafe class DenseDotMicroKernels
{
    /// <summary>4 rows x 4 weight rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x4<TS, TV>(
        float* x0, float* x1, float* x2, float* x3, float* w0, float* w1, float* w2, float* w3, int length, float* z, int ldz)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a03 = TS.Zero;
        TV a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero, a13 = TS.Zero;
        TV a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero, a23 = TS.Zero;
        TV a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero, a33 = TS.Zero;
        int j = 0;
        for (; j <= length - TS.Count; j += TS.Count)
        {
            TV v0 = TS.Load(w0 + j), v1 = TS.Load(w1 + j), v2 = TS.Load(w2 + j), v3 = TS.Load(w3 + j);
            TV x = TS.Load(x0 + j);
            a00 = TS.MultiplyAdd(x, v0, a00); a01 = TS.MultiplyAdd(x, v1, a01); a02 = TS.MultiplyAdd(x, v2, a02); a03 = TS.MultiplyAdd(x, v3, a03);
            x = TS.Load(x1 + j);
            a10 = TS.MultiplyAdd(x, v0, a10); a11 = TS.MultiplyAdd(x, v1, a11); a12 = TS.MultiplyAdd(x, v2, a12); a13 = TS.MultiplyAdd(x, v3, a13);
            x = TS.Load(x2 + j);
            a20 = TS.MultiplyAdd(x, v0, a20); a21 = TS.MultiplyAdd(x, v1, a21); a22 = TS.MultiplyAdd(x, v2, a22); a23 = TS.MultiplyAdd(x, v3, a23);
            x = TS.Load(x3 + j);
            a30 = TS.MultiplyAdd(x, v0, a30); a31 = TS.MultiplyAdd(x, v1, a31); a32 = TS.MultiplyAdd(x, v2, a32); a33 = TS.MultiplyAdd(x, v3, a33);
        }

        TS.StoreSums(a00, a01, a02, a03, z);
        TS.StoreSums(a10, a11, a12, a13, z + ldz);
        TS.StoreSums(a20, a21, a22, a23, z + (2 * ldz));
        TS.StoreSums(a30, a31, a32, a33, z + (3 * ldz));
        if (j < length)
        {
            AddTails(z, x0, w0, w1, w2, w3, j, length);
            AddTails(z + ldz, x1, w0, w1, w2, w3, j, length);
            AddTails(z + (2 * ldz), x2, w0, w1, w2, w3, j, length);
            AddTails(z + (3 * ldz), x3, w0, w1, w2, w3, j, length);
        }
    }

    /// <summary>
    /// 6 rows x 4 weight rows (24 accumulators), reading the whole vectors of the weight rows from a
    /// <see cref="DenseWeightPanels"/> panel (<paramref name="w0"/> .. <paramref name="w3"/>, the rows themselves, are
    /// read only for the scalar tail): with many classes the panels stream from L2 while the rows stay in L1, and this
    /// shape needs a third fewer weight loads per multiply-add than 4 x 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot6x4Packed<TS, TV>(
        float* x0, float* x1, float* x2, float* x3, float* x4, float* x5, float* panel, float* w0, float* w1, float* w2, float* w3, int length, float* z, int ldz)
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
        int j = 0;
        for (; j <= length - n; j += n)
        {
            TV v0 = TS.Load(panel), v1 = TS.Load(panel + n), v2 = TS.Load(panel + (2 * n)), v3 = TS.Load(panel + (3 * n));
            panel += 4 * n;
            TV x = TS.Load(x0 + j);
            a00 = TS.MultiplyAdd(x, v0, a00); a01 = TS.MultiplyAdd(x, v1, a01); a02 = TS.MultiplyAdd(x, v2, a02); a03 = TS.MultiplyAdd(x, v3, a03);
            x = TS.Load(x1 + j);
            a10 = TS.MultiplyAdd(x, v0, a10); a11 = TS.MultiplyAdd(x, v1, a11); a12 = TS.MultiplyAdd(x, v2, a12); a13 = TS.MultiplyAdd(x, v3, a13);
            x = TS.Load(x2 + j);
            a20 = TS.MultiplyAdd(x, v0, a20); a21 = TS.MultiplyAdd(x, v1, a21); a22 = TS.MultiplyAdd(x, v2, a22); a23 = TS.MultiplyAdd(x, v3, a23);
            x = TS.Load(x3 + j);
            a30 = TS.MultiplyAdd(x, v0, a30); a31 = TS.MultiplyAdd(x, v1, a31); a32 = TS.MultiplyAdd(x, v2, a32); a33 = TS.MultiplyAdd(x, v3, a33);
            x = TS.Load(x4 + j);
            a40 = TS.MultiplyAdd(x, v0, a40); a41 = TS.MultiplyAdd(x, v1, a41); a42 = TS.MultiplyAdd(x, v2, a42); a43 = TS.MultiplyAdd(x, v3, a43);
            x = TS.Load(x5 + j);
            a50 = TS.MultiplyAdd(x, v0, a50); a51 = TS.MultiplyAdd(x, v1, a51); a52 = TS.MultiplyAdd(x, v2, a52); a53 = TS.MultiplyAdd(x, v3, a53);
        }

        TS.StoreSums(a00, a01, a02, a03, z);
        TS.StoreSums(a10, a11, a12, a13, z + ldz);
        TS.StoreSums(a20, a21, a22, a23, z + (2 * ldz));
        TS.StoreSums(a30, a31, a32, a33, z + (3 * ldz));
        TS.StoreSums(a40, a41, a42, a43, z + (4 * ldz));
        TS.StoreSums(a50, a51, a52, a53, z + (5 * ldz));
        if (j < length)
        {
            AddTails(z, x0, w0, w1, w2, w3, j, length);
            AddTails(z + ldz, x1, w0, w1, w2, w3, j, length);
            AddTails(z + (2 * ldz), x2, w0, w1, w2, w3, j, length);
            AddTails(z + (3 * ldz), x3, w0, w1, w2, w3, j, length);
            AddTails(z + (4 * ldz), x4, w0, w1, w2, w3, j, length);
            AddTails(z + (5 * ldz), x5, w0, w1, w2, w3, j, length);
        }
    }

    /// <summary>4 rows x 2 weight rows, unrolled twice along the features to hide FMA latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x2<TS, TV>(float* x0, float* x1, float* x2, float* x3, float* w0, float* w1, int length, float* z, int ldz)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV a00 = TS.Zero, a01 = TS.Zero, a10 = TS.Zero, a11 = TS.Zero, a20 = TS.Zero, a21 = TS.Zero, a30 = TS.Zero, a31 = TS.Zero;
        TV b00 = TS.Zero, b01 = TS.Zero, b10 = TS.Zero, b11 = TS.Zero, b20 = TS.Zero, b21 = TS.Zero, b30 = TS.Zero, b31 = TS.Zero;
        int j = 0;
        for (; j <= length - (2 * TS.Count); j += 2 * TS.Count)
        {
            int h = j + TS.Count;
            TV v0 = TS.Load(w0 + j), v1 = TS.Load(w1 + j), u0 = TS.Load(w0 + h), u1 = TS.Load(w1 + h);
            TV x = TS.Load(x0 + j), y = TS.Load(x0 + h);
            a00 = TS.MultiplyAdd(x, v0, a00); a01 = TS.MultiplyAdd(x, v1, a01); b00 = TS.MultiplyAdd(y, u0, b00); b01 = TS.MultiplyAdd(y, u1, b01);
            x = TS.Load(x1 + j); y = TS.Load(x1 + h);
            a10 = TS.MultiplyAdd(x, v0, a10); a11 = TS.MultiplyAdd(x, v1, a11); b10 = TS.MultiplyAdd(y, u0, b10); b11 = TS.MultiplyAdd(y, u1, b11);
            x = TS.Load(x2 + j); y = TS.Load(x2 + h);
            a20 = TS.MultiplyAdd(x, v0, a20); a21 = TS.MultiplyAdd(x, v1, a21); b20 = TS.MultiplyAdd(y, u0, b20); b21 = TS.MultiplyAdd(y, u1, b21);
            x = TS.Load(x3 + j); y = TS.Load(x3 + h);
            a30 = TS.MultiplyAdd(x, v0, a30); a31 = TS.MultiplyAdd(x, v1, a31); b30 = TS.MultiplyAdd(y, u0, b30); b31 = TS.MultiplyAdd(y, u1, b31);
        }

        for (; j <= length - TS.Count; j += TS.Count)
        {
            TV v0 = TS.Load(w0 + j), v1 = TS.Load(w1 + j);
            TV x = TS.Load(x0 + j);
            a00 = TS.MultiplyAdd(x, v0, a00); a01 = TS.MultiplyAdd(x, v1, a01);
            x = TS.Load(x1 + j);
            a10 = TS.MultiplyAdd(x, v0, a10); a11 = TS.MultiplyAdd(x, v1, a11);
            x = TS.Load(x2 + j);
            a20 = TS.MultiplyAdd(x, v0, a20); a21 = TS.MultiplyAdd(x, v1, a21);
            x = TS.Load(x3 + j);
            a30 = TS.MultiplyAdd(x, v0, a30); a31 = TS.MultiplyAdd(x, v1, a31);
        }

        z[0] = TS.Sum(TS.Add(a00, b00)) + Tail(x0, w0, j, length); z[1] = TS.Sum(TS.Add(a01, b01)) + Tail(x0, w1, j, length);
        z += ldz;
        z[0] = TS.Sum(TS.Add(a10, b10)) + Tail(x1, w0, j, length); z[1] = TS.Sum(TS.Add(a11, b11)) + Tail(x1, w1, j, length);
        z += ldz;
        z[0] = TS.Sum(TS.Add(a20, b20)) + Tail(x2, w0, j, length); z[1] = TS.Sum(TS.Add(a21, b21)) + Tail(x2, w1, j, length);
        z += ldz;
        z[0] = TS.Sum(TS.Add(a30, b30)) + Tail(x3, w0, j, length); z[1] = TS.Sum(TS.Add(a31, b31)) + Tail(x3, w1, j, length);
    }

    /// <summary>4 rows x 1 weight row (binary logistic regression), unrolled twice along the features.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x1<TS, TV>(float* x0, float* x1, float* x2, float* x3, float* w, int length, float* z)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV a0 = TS.Zero, a1 = TS.Zero, a2 = TS.Zero, a3 = TS.Zero, b0 = TS.Zero, b1 = TS.Zero, b2 = TS.Zero, b3 = TS.Zero;
        int j = 0;
        for (; j <= length - (2 * TS.Count); j += 2 * TS.Count)
        {
            int h = j + TS.Count;
            TV v = TS.Load(w + j), u = TS.Load(w + h);
            a0 = TS.MultiplyAdd(TS.Load(x0 + j), v, a0); b0 = TS.MultiplyAdd(TS.Load(x0 + h), u, b0);
            a1 = TS.MultiplyAdd(TS.Load(x1 + j), v, a1); b1 = TS.MultiplyAdd(TS.Load(x1 + h), u, b1);
            a2 = TS.MultiplyAdd(TS.Load(x2 + j), v, a2); b2 = TS.MultiplyAdd(TS.Load(x2 + h), u, b2);
            a3 = TS.MultiplyAdd(TS.Load(x3 + j), v, a3); b3 = TS.MultiplyAdd(TS.Load(x3 + h), u, b3);
        }

        if (j <= length - TS.Count)
        {
            TV v = TS.Load(w + j);
            a0 = TS.MultiplyAdd(TS.Load(x0 + j), v, a0);
            a1 = TS.MultiplyAdd(TS.Load(x1 + j), v, a1);
            a2 = TS.MultiplyAdd(TS.Load(x2 + j), v, a2);
            a3 = TS.MultiplyAdd(TS.Load(x3 + j), v, a3);
            j += TS.Count;
        }

        z[0] = TS.Sum(TS.Add(a0, b0)) + Tail(x0, w, j, length);
        z[1] = TS.Sum(TS.Add(a1, b1)) + Tail(x1, w, j, length);
        z[2] = TS.Sum(TS.Add(a2, b2)) + Tail(x2, w, j, length);
        z[3] = TS.Sum(TS.Add(a3, b3)) + Tail(x3, w, j, length);
    }

    private static void AddTails(float* z, float* x, float* w0, float* w1, float* w2, float* w3, int from, int to)
    {
        z[0] += Tail(x, w0, from, to);
        z[1] += Tail(x, w1, from, to);
        z[2] += Tail(x, w2, from, to);
        z[3] += Tail(x, w3, from, to);
    }

    /// <summary>Scalar dot product of the elements <paramref name="from"/> .. <paramref name="to"/> - 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tail(float* x, float* w, int from, int to)
    {
        float sum = 0;
        for (int j = from; j < to; j++)
        {
            sum += x[j] * w[j];
        }

        return sum;
    }
}
