using System.Runtime.CompilerServices;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Per-row steps around the softmax of the kernels, vectorized over the classes: at 100 classes the scalar loops
/// they replace (a repair check per logit, a bias-gradient add per class) cost 10-20% of the whole gradient.
/// </summary>
internal static unsafe class LogitRows
{
    /// <summary>
    /// <c>z[c] += bias[c]</c> for the <paramref name="classes"/> logits of one row, then the rare non-finite logit
    /// recomputed as <see cref="GradientKernelSupport.RepairDense"/> does; <paramref name="x"/> is the row and
    /// <paramref name="w"/> the class-major weights (row length <paramref name="featureCount"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddBias<TS, TV>(float* z, float* bias, int classes, float* x, float* w, int featureCount)
        where TS : ISimd<TV>
        where TV : struct
    {
        bool finite = true;
        int c = 0;
        for (; c <= classes - TS.Count; c += TS.Count)
        {
            TV logits = TS.Add(TS.Load(z + c), TS.Load(bias + c));
            TS.Store(logits, z + c);
            finite &= TS.AllFinite(logits);
        }

        for (; c < classes; c++)
        {
            z[c] += bias[c];
            finite &= float.IsFinite(z[c]);
        }

        if (!finite)
        {
            Repair(z, bias, classes, x, w, featureCount);
        }
    }

    /// <summary><c>destination[c] += source[c]</c> for c in 0 .. <paramref name="classes"/> - 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo<TS, TV>(float* source, float* destination, int classes)
        where TS : ISimd<TV>
        where TV : struct
    {
        int c = 0;
        for (; c <= classes - TS.Count; c += TS.Count)
        {
            TS.Store(TS.Add(TS.Load(destination + c), TS.Load(source + c)), destination + c);
        }

        for (; c < classes; c++)
        {
            destination[c] += source[c];
        }
    }

    /// <summary>Whether none of the <paramref name="count"/> values at <paramref name="z"/> is infinite or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite<TS, TV>(float* z, int count)
        where TS : ISimd<TV>
        where TV : struct
    {
        bool finite = true;
        int c = 0;
        for (; c <= count - TS.Count; c += TS.Count)
        {
            finite &= TS.AllFinite(TS.Load(z + c));
        }

        for (; c < count; c++)
        {
            finite &= float.IsFinite(z[c]);
        }

        return finite;
    }

    // Overflow only: kept out of line so the finite path stays small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Repair(float* z, float* bias, int classes, float* x, float* w, int featureCount)
    {
        for (int c = 0; c < classes; c++)
        {
            z[c] = GradientKernelSupport.RepairDense(z[c], x, w + ((nint)c * featureCount), featureCount, bias[c]);
        }
    }
}
