using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Adam.Kernels;

/// <content>The <see cref="Vector256{T}"/> loop; it mirrors the scalar rule operation for operation.</content>
public sealed partial class FusedAdamUpdateKernel
{
    private static nuint Loop256<TAmsgrad, TL2, TDecay, TL1, TPrefetch>(in Buffers b, in AdamUpdateCoefficients c)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
        where TPrefetch : struct, IAdamUpdateFlag
    {
        nuint width = (nuint)Vector256<float>.Count;
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

        var coefficients = new Coefficients256(c);
        nuint i = head;
        for (; i + (2 * width) <= n; i += 2 * width)
        {
            if (TPrefetch.IsOn)
            {
                Prefetch256<TAmsgrad>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i);
            }

            Block256<TAmsgrad, TL2, TDecay, TL1>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i, coefficients);
            Block256<TAmsgrad, TL2, TDecay, TL1>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i + width, coefficients);
        }

        for (; i + width <= n; i += width)
        {
            Block256<TAmsgrad, TL2, TDecay, TL1>(ref pRef, ref gRef, ref mRef, ref vRef, ref maxRef, i, coefficients);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block256<TAmsgrad, TL2, TDecay, TL1>(
        ref float pRef, ref float gRef, ref float mRef, ref float vRef, ref float maxRef, nuint i, in Coefficients256 c)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        var p = Vector256.LoadUnsafe(ref pRef, i);
        var g = Vector256.LoadUnsafe(ref gRef, i);
        if (TL2.IsOn)
        {
            g += c.L2 * p;
        }

        var m = (c.Beta1 * Vector256.LoadUnsafe(ref mRef, i)) + (c.OneMinusBeta1 * g);
        var v = (c.Beta2 * Vector256.LoadUnsafe(ref vRef, i)) + (c.OneMinusBeta2 * g * g);
        m.StoreUnsafe(ref mRef, i);
        v.StoreUnsafe(ref vRef, i);

        var vm = v;
        if (TAmsgrad.IsOn)
        {
            var max = Vector256.LoadUnsafe(ref maxRef, i);
            vm = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(max, v), max, v);
            vm.StoreUnsafe(ref maxRef, i);
        }

        var denominator = Vector256.Sqrt(vm) + c.EpsilonHat;
        if (TDecay.IsOn)
        {
            p *= c.DecayFactor;
        }

        p -= (c.StepSize * m) / denominator;
        if (TL1.IsOn)
        {
            var shrunk = Vector256.Abs(p) - (c.L1Step / denominator);
            shrunk = Vector256.AndNot(shrunk, Vector256.LessThan(shrunk, Vector256<float>.Zero));
            var signBit = Vector256.Create(-0f);
            p = Vector256.AndNot(shrunk, signBit) | (p & signBit);
        }

        p.StoreUnsafe(ref pRef, i);
    }

    /// <summary>Prefetches every stream's lines for the two vectors of one iteration (whatever their byte size).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch256<TAmsgrad>(ref float pRef, ref float gRef, ref float mRef, ref float vRef, ref float maxRef, nuint i)
        where TAmsgrad : struct, IAdamUpdateFlag
    {
        const int floatsPerLine = 16;
        for (nuint line = 0; line < (nuint)(2 * Vector256<float>.Count); line += floatsPerLine)
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
    private readonly struct Coefficients256
    {
        public readonly Vector256<float> Beta1;
        public readonly Vector256<float> Beta2;
        public readonly Vector256<float> OneMinusBeta1;
        public readonly Vector256<float> OneMinusBeta2;
        public readonly Vector256<float> StepSize;
        public readonly Vector256<float> EpsilonHat;
        public readonly Vector256<float> L2;
        public readonly Vector256<float> DecayFactor;
        public readonly Vector256<float> L1Step;

        public Coefficients256(in AdamUpdateCoefficients c)
        {
            Beta1 = Vector256.Create(c.Beta1);
            Beta2 = Vector256.Create(c.Beta2);
            OneMinusBeta1 = Vector256.Create(c.OneMinusBeta1);
            OneMinusBeta2 = Vector256.Create(c.OneMinusBeta2);
            StepSize = Vector256.Create(c.StepSize);
            EpsilonHat = Vector256.Create(c.EpsilonHat);
            L2 = Vector256.Create(c.L2);
            DecayFactor = Vector256.Create(c.DecayFactor);
            L1Step = Vector256.Create(c.L1Step);
        }
    }
}
