using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNet.Adam.Kernels;

/// <summary>
/// The fast managed Adam update: one pass over memory (read p, g, m, v; write p, m, v: 28 bytes per parameter, 36
/// with AMSGrad) using the widest hardware-accelerated vector (<see cref="Vector512"/>, else <see cref="Vector256"/>,
/// else <see cref="Vector128"/>) and a scalar tail. Produces results bit-identical to
/// <see cref="ScalarAdamUpdateKernel"/>: the same operation order, exact square root and division, no fused
/// multiply-add.
/// </summary>
/// <remarks>
/// Each combination of the optional terms (AMSGrad, L2, decay, L1) runs its own JIT-specialized loop, so the plain
/// Adam loop carries no branches or extra arithmetic for the terms it does not use. The loop body
/// (AdamUpdateFused.Vectors.cs) is written once over <see cref="ISimdElementwise{TVector}"/> and compiled per width.
/// Software prefetch is a further
/// compile-time flag, chosen per call by <see cref="AdamUpdatePrefetchChoice"/> from this instance's own timings (the
/// only state the kernel keeps; results do not depend on it). The kernel is thread-safe.
/// </remarks>
internal sealed partial class FusedAdamUpdateKernel : IAdamUpdateKernel
{
    /// <summary>The vector width in bits this kernel uses on this CPU (512, 256, 128, or 0 for scalar only).</summary>
    public static int VectorBits =>
        Vector512.IsHardwareAccelerated ? 512 :
        Vector256.IsHardwareAccelerated ? 256 :
        Vector128.IsHardwareAccelerated ? 128 : 0;

    /// <inheritdoc />
    public string Name => LoopBits == 0 ? "fused-scalar" : $"fused-v{LoopBits}";

    private readonly AdamUpdatePrefetchChoice _prefetchChoice = new();

    // Tests lower this to run the Vector256 and Vector128 loops on machines that have wider vectors.
    internal int MaxVectorBits { get; init; } = 512;

    // Tests set this to run the loops with (true) or without (false) software prefetch; null lets timings decide.
    internal bool? ForcePrefetch { get; init; }

    // The width of the loop this instance runs: the widest accelerated one not above MaxVectorBits.
    private int LoopBits =>
        MaxVectorBits >= 512 && Vector512.IsHardwareAccelerated ? 512 :
        MaxVectorBits >= 256 && Vector256.IsHardwareAccelerated ? 256 :
        MaxVectorBits >= 128 && Vector128.IsHardwareAccelerated ? 128 : 0;

    /// <inheritdoc />
    public void Step(
        Span<float> parameters,
        ReadOnlySpan<float> gradient,
        Span<float> firstMoment,
        Span<float> secondMoment,
        Span<float> maxSecondMoment,
        in AdamStepScalars scalars)
    {
        AdamUpdateArguments.Check(parameters, gradient, firstMoment, secondMoment, maxSecondMoment, scalars.Amsgrad);
        if (parameters.IsEmpty)
        {
            return;
        }

        nuint length = (nuint)parameters.Length;
        bool prefetch = ForcePrefetch ?? _prefetchChoice.Choose(length);
        var buffers = new Buffers(parameters, gradient, firstMoment, secondMoment, maxSecondMoment, LoopBits, prefetch);
        var c = new AdamUpdateCoefficients(scalars);

        // Only steps long enough for the prefetch choice are timed: the clock reads would be a visible share of a
        // step over a few thousand parameters.
        bool timed = ForcePrefetch is null && length >= AdamUpdatePrefetchChoice.MinimumLength;
        long start = timed ? Stopwatch.GetTimestamp() : 0;
        if (scalars.Amsgrad)
        {
            WithAmsgrad<AdamTermOn>(buffers, c, scalars);
        }
        else
        {
            WithAmsgrad<AdamTermOff>(buffers, c, scalars);
        }

        if (timed)
        {
            _prefetchChoice.Record(prefetch, length, Stopwatch.GetTimestamp() - start);
        }
    }

    private static void WithAmsgrad<TAmsgrad>(in Buffers b, in AdamUpdateCoefficients c, in AdamStepScalars s)
        where TAmsgrad : struct, IAdamUpdateFlag
    {
        if (s.L2 != 0f)
        {
            WithL2<TAmsgrad, AdamTermOn>(b, c, s);
        }
        else
        {
            WithL2<TAmsgrad, AdamTermOff>(b, c, s);
        }
    }

    private static void WithL2<TAmsgrad, TL2>(in Buffers b, in AdamUpdateCoefficients c, in AdamStepScalars s)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
    {
        if (s.DecayFactor != 1f)
        {
            WithDecay<TAmsgrad, TL2, AdamTermOn>(b, c, s);
        }
        else
        {
            WithDecay<TAmsgrad, TL2, AdamTermOff>(b, c, s);
        }
    }

    private static void WithDecay<TAmsgrad, TL2, TDecay>(in Buffers b, in AdamUpdateCoefficients c, in AdamStepScalars s)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
    {
        if (s.L1 > 0f)
        {
            Run<TAmsgrad, TL2, TDecay, AdamTermOn>(b, c);
        }
        else
        {
            Run<TAmsgrad, TL2, TDecay, AdamTermOff>(b, c);
        }
    }

    private static void Run<TAmsgrad, TL2, TDecay, TL1>(in Buffers b, in AdamUpdateCoefficients c)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        nuint done = b.Prefetch
            ? Vectors<TAmsgrad, TL2, TDecay, TL1, AdamTermOn>(b, c)
            : Vectors<TAmsgrad, TL2, TDecay, TL1, AdamTermOff>(b, c);
        ScalarRange<TAmsgrad, TL2, TDecay, TL1>(b, c, done, b.Length);
    }

    /// <summary>Runs the vector loop of the chosen width; returns how many leading elements it updated.</summary>
    private static nuint Vectors<TAmsgrad, TL2, TDecay, TL1, TPrefetch>(in Buffers b, in AdamUpdateCoefficients c)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
        where TPrefetch : struct, IAdamUpdateFlag
    {
        return b.LoopBits switch
        {
            512 => Loop<Simd512, Vector512<float>, TAmsgrad, TL2, TDecay, TL1, TPrefetch>(b, c),
            256 => Loop<Simd256, Vector256<float>, TAmsgrad, TL2, TDecay, TL1, TPrefetch>(b, c),
            128 => Loop<Simd128, Vector128<float>, TAmsgrad, TL2, TDecay, TL1, TPrefetch>(b, c),
            _ => 0,
        };
    }

    /// <summary>The scalar rule of <see cref="ScalarAdamUpdateKernel"/>, for heads and tails that do not fill a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScalarRange<TAmsgrad, TL2, TDecay, TL1>(in Buffers b, in AdamUpdateCoefficients c, nuint start, nuint end)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        for (nuint i = start; i < end; i++)
        {
            ref float pRef = ref Unsafe.Add(ref b.P, i);
            float p = pRef;
            float g = Unsafe.Add(ref b.G, i);
            if (TL2.IsOn)
            {
                g += c.L2 * p;
            }

            ref float mRef = ref Unsafe.Add(ref b.M, i);
            ref float vRef = ref Unsafe.Add(ref b.V, i);
            float m = (c.Beta1 * mRef) + (c.OneMinusBeta1 * g);
            float v = (c.Beta2 * vRef) + (c.OneMinusBeta2 * g * g);
            mRef = m;
            vRef = v;

            float vm = v;
            if (TAmsgrad.IsOn)
            {
                ref float maxRef = ref Unsafe.Add(ref b.MaxV, i);
                float max = maxRef;
                vm = max >= v ? max : v;
                maxRef = vm;
            }

            float denominator = MathF.Sqrt(vm) + c.EpsilonHat;
            if (TDecay.IsOn)
            {
                p *= c.DecayFactor;
            }

            p -= (c.StepSize * m) / denominator;
            if (TL1.IsOn)
            {
                float shrunk = MathF.Abs(p) - (c.L1Step / denominator);
                p = MathF.CopySign(shrunk < 0f ? 0f : shrunk, p);
            }

            pRef = p;
        }
    }

    /// <summary>References to the first element of each buffer, so the loops index without bounds checks.</summary>
    private readonly ref struct Buffers
    {
        public readonly ref float P;
        public readonly ref float G;
        public readonly ref float M;
        public readonly ref float V;
        public readonly ref float MaxV;
        public readonly nuint Length;
        public readonly int LoopBits;
        public readonly bool Prefetch;

        public Buffers(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> maxV, int loopBits, bool prefetch)
        {
            LoopBits = loopBits;
            Prefetch = prefetch;
            P = ref MemoryMarshal.GetReference(p);
            G = ref MemoryMarshal.GetReference(g);
            M = ref MemoryMarshal.GetReference(m);
            V = ref MemoryMarshal.GetReference(v);
            MaxV = ref MemoryMarshal.GetReference(maxV);
            Length = (nuint)p.Length;
        }
    }
}
