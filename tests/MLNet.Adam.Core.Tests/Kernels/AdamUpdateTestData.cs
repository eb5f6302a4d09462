using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Kernels;

/// <summary>Random update inputs for kernel comparisons, with extreme magnitudes mixed in.</summary>
internal sealed class AdamUpdateTestData
{
    private static readonly float[] Extremes = [1e30f, -1e30f, 1e-30f, -1e-30f, 0f, -0f, 1e-45f, 3e38f, -5f, 1f];

    public AdamUpdateTestData(int length, int seed, bool withExtremes)
    {
        var random = new Random(seed);
        P = new float[length];
        G = new float[length];
        M = new float[length];
        V = new float[length];
        MaxV = new float[length];
        for (int i = 0; i < length; i++)
        {
            P[i] = Draw(random, withExtremes);
            G[i] = Draw(random, withExtremes);
            M[i] = Draw(random, withExtremes);
            V[i] = MathF.Abs(Draw(random, withExtremes));

            // AMSGrad's maximum is sometimes above and sometimes below the new v.
            MaxV[i] = random.Next(3) == 0 ? 0f : V[i] * (float)(random.NextDouble() * 2);
        }
    }

    private AdamUpdateTestData(float[] p, float[] g, float[] m, float[] v, float[] maxV)
    {
        P = p;
        G = g;
        M = m;
        V = v;
        MaxV = maxV;
    }

    public float[] P { get; }

    public float[] G { get; }

    public float[] M { get; }

    public float[] V { get; }

    public float[] MaxV { get; }

    /// <summary>All 16 combinations of AMSGrad, L2, decay and L1, with step scalars of a mid-training step.</summary>
    public static IEnumerable<AdamStepScalars> AllFlagCombinations()
    {
        for (int mask = 0; mask < 16; mask++)
        {
            yield return new AdamStepScalars(
                Beta1: 0.9f,
                Beta2: 0.999f,
                StepSize: 0.0123f,
                EpsilonHat: 3e-9f,
                L2: (mask & 1) != 0 ? 0.05f : 0f,
                DecayFactor: (mask & 2) != 0 ? 0.9995f : 1f,
                L1: (mask & 4) != 0 ? 0.01f : 0f,
                Amsgrad: (mask & 8) != 0);
        }
    }

    public AdamUpdateTestData Clone() =>
        new((float[])P.Clone(), (float[])G.Clone(), (float[])M.Clone(), (float[])V.Clone(), (float[])MaxV.Clone());

    public void Step(IAdamUpdateKernel kernel, int offset, int length, in AdamStepScalars scalars) => kernel.Step(
        P.AsSpan(offset, length),
        G.AsSpan(offset, length),
        M.AsSpan(offset, length),
        V.AsSpan(offset, length),
        scalars.Amsgrad ? MaxV.AsSpan(offset, length) : Span<float>.Empty,
        scalars);

    /// <summary>Asserts equal bit patterns, treating all NaNs as equal (their payloads depend on operand order).</summary>
    public static void AssertIdentical(float[] expected, float[] actual, string what, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i])
                || (float.IsNaN(expected[i]) && float.IsNaN(actual[i]));
            Assert.True(same, $"{what}[{i}] differs ({context}): expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }

    public void AssertIdentical(AdamUpdateTestData actual, string context)
    {
        AssertIdentical(P, actual.P, "p", context);
        AssertIdentical(M, actual.M, "m", context);
        AssertIdentical(V, actual.V, "v", context);
        AssertIdentical(MaxV, actual.MaxV, "maxV", context);
    }

    private static float Draw(Random random, bool withExtremes)
    {
        if (withExtremes && random.Next(8) == 0)
        {
            return Extremes[random.Next(Extremes.Length)];
        }

        // Magnitudes spread over several decades, as gradients and moments are in training.
        return (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 3)));
    }
}
