using System.Runtime.CompilerServices;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Class-major weights repacked into panels of 4 classes for the wide logit blocks: panel b holds classes
/// 4b..4b+3 with, for each vector of features, the 4 classes' vectors side by side. A 6-row block then streams one
/// contiguous panel from L2 instead of 4 rows 4 d bytes apart, which the hardware prefetchers follow better.
/// Only the whole vectors of each row are packed; the scalar tail is read from the weights themselves.
/// </summary>
internal static unsafe class DenseWeightPanels
{
    /// <summary>Floats a panel takes for <paramref name="featureCount"/> features at <paramref name="vectorCount"/> floats per vector.</summary>
    public static int PanelLength(int featureCount, int vectorCount) => 4 * (featureCount - (featureCount % vectorCount));

    /// <summary>
    /// Packs the <paramref name="classes"/> rows of <paramref name="w"/> (each <paramref name="featureCount"/> long)
    /// into <paramref name="packed"/>; the rows past the last class of the last panel are packed as zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack<TS, TV>(float* w, int classes, int featureCount, float* zero, float* packed)
        where TS : ISimd<TV>
        where TV : struct
    {
        int n = TS.Count;
        int vectorEnd = featureCount - (featureCount % n);
        for (int c = 0; c < classes; c += 4)
        {
            float* w0 = w + ((nint)c * featureCount);
            float* w1 = c + 1 < classes ? w0 + featureCount : zero;
            float* w2 = c + 2 < classes ? w0 + (2 * featureCount) : zero;
            float* w3 = c + 3 < classes ? w0 + (3 * featureCount) : zero;
            for (int j = 0; j < vectorEnd; j += n)
            {
                TS.Store(TS.Load(w0 + j), packed);
                TS.Store(TS.Load(w1 + j), packed + n);
                TS.Store(TS.Load(w2 + j), packed + (2 * n));
                TS.Store(TS.Load(w3 + j), packed + (3 * n));
                packed += 4 * n;
            }
        }
    }
}
