using System.Runtime.CompilerServices;

namespace MLNet.Adam.Kernels;

/// <summary>Alignment arithmetic of the vector loops.</summary>
internal static class Alignment
{
    /// <summary>
    /// Number of leading floats to process one at a time so that the element after them starts on a
    /// <paramref name="width"/>-float boundary; 0 when the address is not float-aligned (then no head helps).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe nuint HeadLength(ref float first, nuint width)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref first);
        nuint bytes = width * sizeof(float);
        if (address % sizeof(float) != 0)
        {
            return 0;
        }

        return ((bytes - (address % bytes)) % bytes) / sizeof(float);
    }
}
