using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Adam.Kernels;

/// <content>The <see cref="Vector512{T}"/> loop; it mirrors the scalar rule operation for operation.</content>
public sealed partial class FusedAdamUpdateKernel
{
    private static nuint Loop512<TAmsgrad, TL2, TDecay, TL1, TPrefetch>(in Buffers b, in AdamUpdateCoefficients c)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
        where TPrefetch : struct, IAdamUpdateFlag
    {
        nuint width = (nuint)Vector512<float>.Count;
        nuint n = b.Length;
        if (n < 4 * width)
        {
            return 0;
        }

        // Locals, not the struct's fields: stores through one ref would otherwise force reloads of the others.
        ref float pRef = ref b.P;
        ref float gRef = ref b.G;
        ref float mRef = ref b.M;
        ref float vRef = ref b.V;
        ref float maxRef = ref b.MaxV;

        // Scalar steps until p is vector-aligned, so the loop's loads and stores of p (and of m, v when they share
        // p's offset, as arrays allocated alike do) never split a cache line. The address may change if the GC moves
        // the array; that only costs speed, never correctness.
        nuint head = AdamUpdateMemory.HeadLength(ref pRef, width);
        ScalarRange<TAmsgrad, TL2, TDecay, TL1>(b, c, 0, head);

        var coefficients = new Coefficients512(c);
        nuint i = head;
        for (; i + (4 * width) <= n; i += 4 * width)
        {
            if (TPrefetch.IsOn)
            {
                Prefetch512<TAmsgrad>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i);
                Prefetch512<TAmsgrad>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i + (2 * width));
            }

            Quad512<TAmsgrad, TL2, TDecay, TL1>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i, coefficients);
        }

        for (; i + width <= n; i += width)
        {
            Block512<TAmsgrad, TL2, TDecay, TL1>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i, coefficients);
        }

        return i;
    }

    // Four vectors with every load issued before the first store: measured about 4% faster than four one-vector
    // blocks in a row at 1e5 to 1e6 parameters, since the loads of later vectors need not wait behind earlier stores.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quad512<TAmsgrad, TL2, TDecay, TL1>(
        ref float pRef, ref float gRef, ref float mRef, ref float vRef, ref float maxRef, nuint i, in Coefficients512 c)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        nuint w = (nuint)Vector512<float>.Count;
        var p0 = Vector512.LoadUnsafe(ref pRef, i);
        var p1 = Vector512.LoadUnsafe(ref pRef, i + w);
        var p2 = Vector512.LoadUnsafe(ref pRef, i + (2 * w));
        var p3 = Vector512.LoadUnsafe(ref pRef, i + (3 * w));
        Moments512<TL2>(p0, ref gRef, ref mRef, ref vRef, i, c, out var m0, out var v0);
        Moments512<TL2>(p1, ref gRef, ref mRef, ref vRef, i + w, c, out var m1, out var v1);
        Moments512<TL2>(p2, ref gRef, ref mRef, ref vRef, i + (2 * w), c, out var m2, out var v2);
        Moments512<TL2>(p3, ref gRef, ref mRef, ref vRef, i + (3 * w), c, out var m3, out var v3);
        m0.StoreUnsafe(ref mRef, i);
        m1.StoreUnsafe(ref mRef, i + w);
        m2.StoreUnsafe(ref mRef, i + (2 * w));
        m3.StoreUnsafe(ref mRef, i + (3 * w));
        v0.StoreUnsafe(ref vRef, i);
        v1.StoreUnsafe(ref vRef, i + w);
        v2.StoreUnsafe(ref vRef, i + (2 * w));
        v3.StoreUnsafe(ref vRef, i + (3 * w));
        Parameter512<TDecay, TL1>(p0, m0, MaxMoment512<TAmsgrad>(ref maxRef, i, v0), c).StoreUnsafe(ref pRef, i);
        Parameter512<TDecay, TL1>(p1, m1, MaxMoment512<TAmsgrad>(ref maxRef, i + w, v1), c).StoreUnsafe(ref pRef, i + w);
        Parameter512<TDecay, TL1>(p2, m2, MaxMoment512<TAmsgrad>(ref maxRef, i + (2 * w), v2), c).StoreUnsafe(ref pRef, i + (2 * w));
        Parameter512<TDecay, TL1>(p3, m3, MaxMoment512<TAmsgrad>(ref maxRef, i + (3 * w), v3), c).StoreUnsafe(ref pRef, i + (3 * w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block512<TAmsgrad, TL2, TDecay, TL1>(
        ref float pRef, ref float gRef, ref float mRef, ref float vRef, ref float maxRef, nuint i, in Coefficients512 c)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        var p = Vector512.LoadUnsafe(ref pRef, i);
        Moments512<TL2>(p, ref gRef, ref mRef, ref vRef, i, c, out var m, out var v);
        m.StoreUnsafe(ref mRef, i);
        v.StoreUnsafe(ref vRef, i);
        Parameter512<TDecay, TL1>(p, m, MaxMoment512<TAmsgrad>(ref maxRef, i, v), c).StoreUnsafe(ref pRef, i);
    }

    /// <summary>The new first and second moments of the vector at <paramref name="i"/> (the gradient with L2 added).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Moments512<TL2>(
        Vector512<float> p, ref float gRef, ref float mRef, ref float vRef, nuint i, in Coefficients512 c,
        out Vector512<float> m, out Vector512<float> v)
        where TL2 : struct, IAdamUpdateFlag
    {
        var g = Vector512.LoadUnsafe(ref gRef, i);
        if (TL2.IsOn)
        {
            g += c.L2 * p;
        }

        m = (c.Beta1 * Vector512.LoadUnsafe(ref mRef, i)) + (c.OneMinusBeta1 * g);
        v = (c.Beta2 * Vector512.LoadUnsafe(ref vRef, i)) + (c.OneMinusBeta2 * g * g);
    }

    /// <summary>The second moment the step divides by: <paramref name="v"/>, or with AMSGrad the stored running maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> MaxMoment512<TAmsgrad>(ref float maxRef, nuint i, Vector512<float> v)
        where TAmsgrad : struct, IAdamUpdateFlag
    {
        if (!TAmsgrad.IsOn)
        {
            return v;
        }

        var max = Vector512.LoadUnsafe(ref maxRef, i);
        var vm = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(max, v), max, v);
        vm.StoreUnsafe(ref maxRef, i);
        return vm;
    }

    /// <summary>The updated parameters: decay, the Adam step, then L1 soft-thresholding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Parameter512<TDecay, TL1>(Vector512<float> p, Vector512<float> m, Vector512<float> vm, in Coefficients512 c)
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        var denominator = Vector512.Sqrt(vm) + c.EpsilonHat;
        if (TDecay.IsOn)
        {
            p *= c.DecayFactor;
        }

        p -= (c.StepSize * m) / denominator;
        if (TL1.IsOn)
        {
            var shrunk = Vector512.Abs(p) - (c.L1Step / denominator);
            shrunk = Vector512.AndNot(shrunk, Vector512.LessThan(shrunk, Vector512<float>.Zero));
            var signBit = Vector512.Create(-0f);
            p = Vector512.AndNot(shrunk, signBit) | (p & signBit);
        }

        return p;
    }

    /// <summary>Prefetches every stream's lines for the two vectors of one iteration (whatever their byte size).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch512<TAmsgrad>(ref float pRef, ref float gRef, ref float mRef, ref float vRef, ref float maxRef, nuint i)
        where TAmsgrad : struct, IAdamUpdateFlag
    {
        const int floatsPerLine = 16;
        for (nuint line = 0; line < (nuint)(2 * Vector512<float>.Count); line += floatsPerLine)
        {
            AdamUpdateMemory.Prefetch(ref pRef, i + line);
            AdamUpdateMemory.Prefetch(ref gRef, i + line);
            AdamUpdateMemory.Prefetch(ref mRef, i + line);
            AdamUpdateMemory.Prefetch(ref vRef, i + line);
            if (TAmsgrad.IsOn)
            {
                AdamUpdateMemory.Prefetch(ref maxRef, i + line);
            }
        }
    }

    /// <summary>The coefficients broadcast once per call.</summary>
    private readonly struct Coefficients512
    {
        public readonly Vector512<float> Beta1;
        public readonly Vector512<float> Beta2;
        public readonly Vector512<float> OneMinusBeta1;
        public readonly Vector512<float> OneMinusBeta2;
        public readonly Vector512<float> StepSize;
        public readonly Vector512<float> EpsilonHat;
        public readonly Vector512<float> L2;
        public readonly Vector512<float> DecayFactor;
        public readonly Vector512<float> L1Step;

        public Coefficients512(in AdamUpdateCoefficients c)
        {
            Beta1 = Vector512.Create(c.Beta1);
            Beta2 = Vector512.Create(c.Beta2);
            OneMinusBeta1 = Vector512.Create(c.OneMinusBeta1);
            OneMinusBeta2 = Vector512.Create(c.OneMinusBeta2);
            StepSize = Vector512.Create(c.StepSize);
            EpsilonHat = Vector512.Create(c.EpsilonHat);
            L2 = Vector512.Create(c.L2);
            DecayFactor = Vector512.Create(c.DecayFactor);
            L1Step = Vector512.Create(c.L1Step);
        }
    }
}
