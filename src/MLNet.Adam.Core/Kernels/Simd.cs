using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Adam.Kernels;

/// <summary>
/// One vector width's float operations. Micro-kernels are generic over it so a single body serves Vector512 and
/// Vector256 hardware; the JIT specializes each struct instantiation and inlines every call.
/// </summary>
/// <typeparam name="TVector">The vector type.</typeparam>
internal unsafe interface ISimd<TVector>
    where TVector : struct
{
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    static abstract TVector Broadcast(float value);

    /// <summary><c>a * b + addend</c>, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector addend);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract float Sum(TVector value);

    /// <summary>Whether no element is infinite or NaN (<c>v - v</c> is zero exactly for finite elements).</summary>
    static abstract bool AllFinite(TVector value);

    /// <summary>Stores the horizontal sums of a, b, c and d to <c>destination[0..3]</c>, sharing the shuffles.</summary>
    static abstract void StoreSums(TVector a, TVector b, TVector c, TVector d, float* destination);
}

/// <summary>AVX-512 width (16 floats).</summary>
internal readonly unsafe struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, addend) : (a * b) + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(Vector512<float> value) => Vector512.EqualsAll(value - value, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, float* destination)
    {
        if (!Avx512F.IsSupported)
        {
            destination[0] = Sum(a); destination[1] = Sum(b); destination[2] = Sum(c); destination[3] = Sum(d);
            return;
        }

        // Per 128-bit lane: [a0 b0 a1 b1] + [a2 b2 a3 b3], then [ab01 cd01] + [ab23 cd23] = partial [a b c d].
        var ab = Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);
        var cd = Avx512F.UnpackLow(c, d) + Avx512F.UnpackHigh(c, d);
        var abcd = Avx512F.Shuffle(ab, cd, 0x44) + Avx512F.Shuffle(ab, cd, 0xEE);
        var half = abcd.GetLower() + abcd.GetUpper();
        (half.GetLower() + half.GetUpper()).Store(destination);
    }
}

/// <summary>AVX2 width (8 floats).</summary>
internal readonly unsafe struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, addend) : (a * b) + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(Vector256<float> value) => Vector256.EqualsAll(value - value, Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, float* destination)
    {
        if (!Avx.IsSupported)
        {
            destination[0] = Sum(a); destination[1] = Sum(b); destination[2] = Sum(c); destination[3] = Sum(d);
            return;
        }

        var ab = Avx.UnpackLow(a, b) + Avx.UnpackHigh(a, b);
        var cd = Avx.UnpackLow(c, d) + Avx.UnpackHigh(c, d);
        var abcd = Avx.Shuffle(ab, cd, 0x44) + Avx.Shuffle(ab, cd, 0xEE);
        (abcd.GetLower() + abcd.GetUpper()).Store(destination);
    }
}
