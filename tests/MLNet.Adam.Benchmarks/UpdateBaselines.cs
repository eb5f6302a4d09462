using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// Comparison points for the fused Adam update: the memory-pattern ceiling and the TensorPrimitives chain.
/// </summary>
internal static class UpdateBaselines
{
    /// <summary>Bytes moved per parameter by a plain Adam update: read p, g, m, v; write p, m, v.</summary>
    public const int BytesPerParameter = 28;

    /// <summary>
    /// Adam's exact memory pattern (read p, g, m, v; write p, m, v) with trivial arithmetic, vectorized the same way
    /// as the fused kernel: no update kernel can beat it by much, so fused time / ceiling time measures how close the
    /// fused kernel is to the memory system's limit. Whether software prefetch helps depends on the size and on the
    /// machine, so the ceiling runs either way (<paramref name="prefetch"/>) and the harness keeps the faster.
    /// </summary>
    public static void Ceiling(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, bool prefetch)
    {
        if (prefetch)
        {
            Ceiling<AdamTermOn>(p, g, m, v);
        }
        else
        {
            Ceiling<AdamTermOff>(p, g, m, v);
        }
    }

    private static void Ceiling<TPrefetch>(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v)
        where TPrefetch : struct, IAdamUpdateFlag
    {
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)p.Length;
        nuint i = 0;
        var half = Vector512.Create(0.5f);
        if (Vector512.IsHardwareAccelerated)
        {
            // The same treatment as the fused kernel: scalar head until p is aligned, then whole vectors with prefetch.
            nuint head = Math.Min(AdamUpdateMemory.HeadLength(ref pr, 16), n);
            for (; i < head; i++)
            {
                CeilingElement(ref pr, ref gr, ref mr, ref vr, i);
            }

            for (; i + 16 <= n; i += 16)
            {
                if (TPrefetch.IsOn)
                {
                    AdamUpdateMemory.Prefetch(ref pr, i);
                    AdamUpdateMemory.Prefetch(ref gr, i);
                    AdamUpdateMemory.Prefetch(ref mr, i);
                    AdamUpdateMemory.Prefetch(ref vr, i);
                }

                var gi = Vector512.LoadUnsafe(ref gr, i);
                var mi = (Vector512.LoadUnsafe(ref mr, i) + gi) * half;
                var vi = (Vector512.LoadUnsafe(ref vr, i) + gi) * half;
                mi.StoreUnsafe(ref mr, i);
                vi.StoreUnsafe(ref vr, i);
                (Vector512.LoadUnsafe(ref pr, i) + (mi - vi)).StoreUnsafe(ref pr, i);
            }
        }
        else
        {
            var half256 = Vector256.Create(0.5f);
            for (; i + 8 <= n; i += 8)
            {
                var gi = Vector256.LoadUnsafe(ref gr, i);
                var mi = (Vector256.LoadUnsafe(ref mr, i) + gi) * half256;
                var vi = (Vector256.LoadUnsafe(ref vr, i) + gi) * half256;
                mi.StoreUnsafe(ref mr, i);
                vi.StoreUnsafe(ref vr, i);
                (Vector256.LoadUnsafe(ref pr, i) + (mi - vi)).StoreUnsafe(ref pr, i);
            }
        }

        for (; i < n; i++)
        {
            CeilingElement(ref pr, ref gr, ref mr, ref vr, i);
        }
    }

    private static void CeilingElement(ref float pr, ref float gr, ref float mr, ref float vr, nuint i)
    {
        float gi = Unsafe.Add(ref gr, i);
        float mi = (Unsafe.Add(ref mr, i) + gi) * 0.5f;
        float vi = (Unsafe.Add(ref vr, i) + gi) * 0.5f;
        Unsafe.Add(ref mr, i) = mi;
        Unsafe.Add(ref vr, i) = vi;
        Unsafe.Add(ref pr, i) += mi - vi;
    }

    /// <summary>
    /// The plain Adam update written as a chain of TensorPrimitives calls (each a separate pass over memory), the way
    /// one would compose it from a vector library. <paramref name="scratch1"/> and <paramref name="scratch2"/> have
    /// the parameters' length.
    /// </summary>
    public static void TensorPrimitivesChain(
        Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> scratch1, Span<float> scratch2, in AdamStepScalars s)
    {
        TensorPrimitives.Multiply(g, 1f - s.Beta1, scratch1);
        TensorPrimitives.MultiplyAdd(m, s.Beta1, scratch1, m);
        TensorPrimitives.Multiply(g, g, scratch1);
        TensorPrimitives.Multiply(scratch1, 1f - s.Beta2, scratch1);
        TensorPrimitives.MultiplyAdd(v, s.Beta2, scratch1, v);
        TensorPrimitives.Sqrt(v, scratch1);
        TensorPrimitives.Add(scratch1, s.EpsilonHat, scratch1);
        TensorPrimitives.Multiply(m, s.StepSize, scratch2);
        TensorPrimitives.Divide(scratch2, scratch1, scratch2);
        TensorPrimitives.Subtract(p, scratch2, p);
    }
}
