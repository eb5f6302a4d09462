using System.Runtime.CompilerServices;

namespace MLNet.Adam.Kernels;

/// <content>
/// The vector loop, written once for every width (<see cref="Simd512"/>, <see cref="Simd256"/>, <see cref="Simd128"/>):
/// the JIT compiles a separate body per width and per combination of flags. It mirrors the scalar rule operation for
/// operation.
/// </content>
internal sealed partial class FusedAdamUpdateKernel
{
    private static nuint Loop<TS, TV, TAmsgrad, TL2, TDecay, TL1, TPrefetch>(in Buffers b, in AdamUpdateCoefficients c)
        where TS : ISimdElementwise<TV>
        where TV : struct
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
        where TPrefetch : struct, IAdamUpdateFlag
    {
        nuint width = (nuint)TS.Count;
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
        // p's offset) never split a cache line. The address may change if the GC moves the array; that only costs
        // speed, never correctness.
        nuint head = AdamUpdateMemory.HeadLength(ref pRef, width);
        ScalarRange<TAmsgrad, TL2, TDecay, TL1>(b, c, 0, head);

        var coefficients = new Coefficients<TS, TV>(c);
        nuint i = head;
        for (; i + (4 * width) <= n; i += 4 * width)
        {
            if (TPrefetch.IsOn)
            {
                Prefetch<TAmsgrad>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i, 4 * width);
            }

            Quad<TS, TV, TAmsgrad, TL2, TDecay, TL1>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i, coefficients);
        }

        for (; i + width <= n; i += width)
        {
            Block<TS, TV, TAmsgrad, TL2, TDecay, TL1>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i, coefficients);
        }

        return i;
    }

    // Four vectors with every load issued before the first store: measured about 4% faster than four one-vector
    // blocks in a row at 1e5 and 1e6 parameters, since the loads of later vectors need not wait behind earlier stores.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quad<TS, TV, TAmsgrad, TL2, TDecay, TL1>(
        ref float pRef, ref float gRef, ref float mRef, ref float vRef, ref float maxRef, nuint i, in Coefficients<TS, TV> c)
        where TS : ISimdElementwise<TV>
        where TV : struct
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        nuint w = (nuint)TS.Count;
        var p0 = TS.LoadUnsafe(ref pRef, i);
        var p1 = TS.LoadUnsafe(ref pRef, i + w);
        var p2 = TS.LoadUnsafe(ref pRef, i + (2 * w));
        var p3 = TS.LoadUnsafe(ref pRef, i + (3 * w));
        Moments<TS, TV, TL2>(p0, ref gRef, ref mRef, ref vRef, i, c, out var m0, out var v0);
        Moments<TS, TV, TL2>(p1, ref gRef, ref mRef, ref vRef, i + w, c, out var m1, out var v1);
        Moments<TS, TV, TL2>(p2, ref gRef, ref mRef, ref vRef, i + (2 * w), c, out var m2, out var v2);
        Moments<TS, TV, TL2>(p3, ref gRef, ref mRef, ref vRef, i + (3 * w), c, out var m3, out var v3);
        TS.StoreUnsafe(m0, ref mRef, i);
        TS.StoreUnsafe(m1, ref mRef, i + w);
        TS.StoreUnsafe(m2, ref mRef, i + (2 * w));
        TS.StoreUnsafe(m3, ref mRef, i + (3 * w));
        TS.StoreUnsafe(v0, ref vRef, i);
        TS.StoreUnsafe(v1, ref vRef, i + w);
        TS.StoreUnsafe(v2, ref vRef, i + (2 * w));
        TS.StoreUnsafe(v3, ref vRef, i + (3 * w));
        TS.StoreUnsafe(Parameter<TS, TV, TDecay, TL1>(p0, m0, MaxMoment<TS, TV, TAmsgrad>(ref maxRef, i, v0), c), ref pRef, i);
        TS.StoreUnsafe(Parameter<TS, TV, TDecay, TL1>(p1, m1, MaxMoment<TS, TV, TAmsgrad>(ref maxRef, i + w, v1), c), ref pRef, i + w);
        TS.StoreUnsafe(Parameter<TS, TV, TDecay, TL1>(p2, m2, MaxMoment<TS, TV, TAmsgrad>(ref maxRef, i + (2 * w), v2), c), ref pRef, i + (2 * w));
        TS.StoreUnsafe(Parameter<TS, TV, TDecay, TL1>(p3, m3, MaxMoment<TS, TV, TAmsgrad>(ref maxRef, i + (3 * w), v3), c), ref pRef, i + (3 * w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TS, TV, TAmsgrad, TL2, TDecay, TL1>(
        ref float pRef, ref float gRef, ref float mRef, ref float vRef, ref float maxRef, nuint i, in Coefficients<TS, TV> c)
        where TS : ISimdElementwise<TV>
        where TV : struct
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        var p = TS.LoadUnsafe(ref pRef, i);
        Moments<TS, TV, TL2>(p, ref gRef, ref mRef, ref vRef, i, c, out var m, out var v);
        TS.StoreUnsafe(m, ref mRef, i);
        TS.StoreUnsafe(v, ref vRef, i);
        TS.StoreUnsafe(Parameter<TS, TV, TDecay, TL1>(p, m, MaxMoment<TS, TV, TAmsgrad>(ref maxRef, i, v), c), ref pRef, i);
    }

    /// <summary>The new first and second moments of the vector at <paramref name="i"/> (the gradient with L2 added).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Moments<TS, TV, TL2>(
        TV p, ref float gRef, ref float mRef, ref float vRef, nuint i, in Coefficients<TS, TV> c, out TV m, out TV v)
        where TS : ISimdElementwise<TV>
        where TV : struct
        where TL2 : struct, IAdamUpdateFlag
    {
        var g = TS.LoadUnsafe(ref gRef, i);
        if (TL2.IsOn)
        {
            g = TS.Add(g, TS.Multiply(c.L2, p));
        }

        m = TS.Add(TS.Multiply(c.Beta1, TS.LoadUnsafe(ref mRef, i)), TS.Multiply(c.OneMinusBeta1, g));
        v = TS.Add(TS.Multiply(c.Beta2, TS.LoadUnsafe(ref vRef, i)), TS.Multiply(TS.Multiply(c.OneMinusBeta2, g), g));
    }

    /// <summary>The second moment the step divides by: <paramref name="v"/>, or with AMSGrad the stored running maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV MaxMoment<TS, TV, TAmsgrad>(ref float maxRef, nuint i, TV v)
        where TS : ISimdElementwise<TV>
        where TV : struct
        where TAmsgrad : struct, IAdamUpdateFlag
    {
        if (!TAmsgrad.IsOn)
        {
            return v;
        }

        var vm = TS.SelectGreaterOrEqual(TS.LoadUnsafe(ref maxRef, i), v);
        TS.StoreUnsafe(vm, ref maxRef, i);
        return vm;
    }

    /// <summary>The updated parameters: decay, the Adam step, then L1 soft-thresholding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Parameter<TS, TV, TDecay, TL1>(TV p, TV m, TV vm, in Coefficients<TS, TV> c)
        where TS : ISimdElementwise<TV>
        where TV : struct
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        var denominator = TS.Add(TS.Sqrt(vm), c.EpsilonHat);
        if (TDecay.IsOn)
        {
            p = TS.Multiply(p, c.DecayFactor);
        }

        p = TS.Subtract(p, TS.Divide(TS.Multiply(c.StepSize, m), denominator));
        if (TL1.IsOn)
        {
            // |p| shrunk by the threshold, clamped at zero, with p's sign: exact zeros below the threshold.
            var shrunk = TS.Subtract(TS.Abs(p), TS.Divide(c.L1Step, denominator));
            shrunk = TS.AndNot(shrunk, TS.LessThan(shrunk, TS.Zero));
            var signBit = TS.Broadcast(-0f);
            p = TS.Or(TS.AndNot(shrunk, signBit), TS.And(p, signBit));
        }

        return p;
    }

    /// <summary>Prefetches every stream's cache lines for the <paramref name="count"/> floats from <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch<TAmsgrad>(ref float pRef, ref float gRef, ref float mRef, ref float vRef, ref float maxRef, nuint i, nuint count)
        where TAmsgrad : struct, IAdamUpdateFlag
    {
        const int floatsPerLine = 16;
        for (nuint line = 0; line < count; line += floatsPerLine)
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
    private readonly struct Coefficients<TS, TV>
        where TS : ISimdElementwise<TV>
        where TV : struct
    {
        public readonly TV Beta1;
        public readonly TV Beta2;
        public readonly TV OneMinusBeta1;
        public readonly TV OneMinusBeta2;
        public readonly TV StepSize;
        public readonly TV EpsilonHat;
        public readonly TV L2;
        public readonly TV DecayFactor;
        public readonly TV L1Step;

        public Coefficients(in AdamUpdateCoefficients c)
        {
            Beta1 = TS.Broadcast(c.Beta1);
            Beta2 = TS.Broadcast(c.Beta2);
            OneMinusBeta1 = TS.Broadcast(c.OneMinusBeta1);
            OneMinusBeta2 = TS.Broadcast(c.OneMinusBeta2);
            StepSize = TS.Broadcast(c.StepSize);
            EpsilonHat = TS.Broadcast(c.EpsilonHat);
            L2 = TS.Broadcast(c.L2);
            DecayFactor = TS.Broadcast(c.DecayFactor);
            L1Step = TS.Broadcast(c.L1Step);
        }
    }
}
