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

/// <summary>
/// The element-wise operations the fused Adam update needs at one vector width, so one loop body serves Vector512,
/// Vector256 and Vector128 hardware. None of them is fused: the update must round exactly like its scalar twin.
/// </summary>
/// <typeparam name="TVector">The vector type.</typeparam>
internal interface ISimdElementwise<TVector>
    where TVector : struct
{
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Broadcast(float value);

    static abstract TVector LoadUnsafe(ref float source, nuint index);

    static abstract void StoreUnsafe(TVector value, ref float destination, nuint index);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    static abstract TVector Sqrt(TVector value);

    static abstract TVector Abs(TVector value);

    /// <summary>Per lane <c>a &gt;= b ? a : b</c> (so <paramref name="b"/> where either is NaN).</summary>
    static abstract TVector SelectGreaterOrEqual(TVector a, TVector b);

    /// <summary>All-ones lanes where <c>a &lt; b</c>, zero elsewhere.</summary>
    static abstract TVector LessThan(TVector a, TVector b);

    static abstract TVector And(TVector a, TVector b);

    static abstract TVector Or(TVector a, TVector b);

    /// <summary><c>a &amp; ~b</c>.</summary>
    static abstract TVector AndNot(TVector a, TVector b);
}

/// <summary>AVX-512 width (16 floats).</summary>
internal readonly unsafe struct Simd512 : ISimd<Vector512<float>>, ISimdElementwise<Vector512<float>>
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
    public static Vector512<float> LoadUnsafe(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreUnsafe(Vector512<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> value) => Vector512.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectGreaterOrEqual(Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> And(Vector512<float> a, Vector512<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> AndNot(Vector512<float> a, Vector512<float> b) => Vector512.AndNot(a, b);

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
internal readonly unsafe struct Simd256 : ISimd<Vector256<float>>, ISimdElementwise<Vector256<float>>
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
    public static Vector256<float> LoadUnsafe(ref float source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreUnsafe(Vector256<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> value) => Vector256.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectGreaterOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> AndNot(Vector256<float> a, Vector256<float> b) => Vector256.AndNot(a, b);

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

/// <summary>SSE / AdvSimd width (4 floats); only the element-wise operations of the update loop.</summary>
internal readonly struct Simd128 : ISimdElementwise<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadUnsafe(ref float source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreUnsafe(Vector128<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> value) => Vector128.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> value) => Vector128.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectGreaterOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> AndNot(Vector128<float> a, Vector128<float> b) => Vector128.AndNot(a, b);
}
