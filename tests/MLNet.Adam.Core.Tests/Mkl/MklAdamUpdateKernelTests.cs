using MLNet.Adam.Kernels;
using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Core.Tests.Mkl;

[Trait("Category", "Mkl")]
public sealed class MklAdamUpdateKernelTests
{
    // About 7 float ulps of the magnitudes that enter each result.
    private const double RelativeTolerance = 8e-7;

    public static TheoryData<string> Variants => new() { "plain", "l2", "decay", "l1", "amsgrad", "all" };

    [MklTheory]
    [MemberData(nameof(Variants))]
    public void Step_AllLengthsUpTo257_MatchesDoubleReference(string variant)
    {
        var kernel = MklBackend.CreateAdamUpdate();
        var scalars = Scalars(variant, step: 3);
        for (int length = 0; length <= 257; length++)
        {
            CheckOneStep(kernel, scalars, length, seed: length);
        }
    }

    [MklTheory]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(10_001)]
    public void Step_LengthsAcrossChunkBoundaries_MatchesDoubleReference(int length)
    {
        var kernel = MklBackend.CreateAdamUpdate();
        CheckOneStep(kernel, Scalars("all", step: 7), length, seed: 11);
    }

    [MklFact]
    public void Step_ManySteps_StaysWithinToleranceOfDoubleReferenceRun()
    {
        var kernel = MklBackend.CreateAdamUpdate();
        var random = new Random(5);
        const int length = 300;
        var p = Normal(random, length);
        var m = new float[length];
        var v = new float[length];
        var maxV = new float[length];
        var pd = p.Select(x => (double)x).ToArray();
        var md = new double[length];
        var vd = new double[length];
        for (int t = 1; t <= 50; t++)
        {
            var g = Normal(random, length);
            var s = Scalars("plain", t);
            kernel.Step(p, g, m, v, maxV, s);
            for (int i = 0; i < length; i++)
            {
                md[i] = (s.Beta1 * md[i]) + ((1.0 - s.Beta1) * g[i]);
                vd[i] = (s.Beta2 * vd[i]) + ((1.0 - s.Beta2) * g[i] * g[i]);
                pd[i] -= s.StepSize * md[i] / (Math.Sqrt(vd[i]) + s.EpsilonHat);
            }
        }

        for (int i = 0; i < length; i++)
        {
            Assert.True(Math.Abs(p[i] - pd[i]) <= 1e-5 * (1 + Math.Abs(pd[i])), $"p[{i}] = {p[i]}, reference {pd[i]}");
        }
    }

    [MklFact]
    public void Step_MismatchedLengths_Throws()
    {
        var kernel = MklBackend.CreateAdamUpdate();
        var scalars = Scalars("plain", 1);
        Assert.Throws<ArgumentException>(() => kernel.Step(new float[4], new float[3], new float[4], new float[4], default, scalars));
    }

    internal static AdamStepScalars Scalars(string variant, int step)
    {
        const float beta1 = 0.9f, beta2 = 0.999f, learningRate = 0.01f, epsilon = 1e-8f;
        double correction2 = Math.Sqrt(1 - Math.Pow(beta2, step));
        float stepSize = (float)(learningRate * correction2 / (1 - Math.Pow(beta1, step)));
        float epsilonHat = (float)(epsilon * correction2);
        bool all = variant == "all";
        return new AdamStepScalars(
            beta1,
            beta2,
            stepSize,
            epsilonHat,
            L2: variant == "l2" || all ? 0.01f : 0f,
            DecayFactor: variant == "decay" || all ? 1f - (learningRate * 0.05f) : 1f,
            L1: variant == "l1" || all ? 0.5f : 0f,
            Amsgrad: variant == "amsgrad" || all);
    }

    private static void CheckOneStep(IAdamUpdateKernel kernel, AdamStepScalars scalars, int length, int seed)
    {
        var random = new Random(seed);
        var p = Normal(random, length);
        var g = Normal(random, length);
        var m = Normal(random, length, 0.1f);
        var v = Normal(random, length, 0.1f).Select(x => x * x).ToArray();
        var maxV = v.Select(x => x * (random.Next(2) == 0 ? 0.5f : 2f)).ToArray();
        var expected = DoubleReference.AdamStep(p, g, m, v, maxV, scalars);
        var twins = new IAdamUpdateKernel[] { new ScalarAdamUpdateKernel(), new FusedAdamUpdateKernel() }
            .Select(twin => (twin.Name, Run(twin, p, g, m, v, maxV, scalars)))
            .ToArray();
        var oldM = m.ToArray();
        var oldV = v.ToArray();

        kernel.Step(p, g, m, v, maxV, scalars);

        for (int i = 0; i < length; i++)
        {
            double gScale = Math.Abs(g[i]) + Math.Abs(scalars.L2 * expected.P[i]) + 1e-30;
            double mScale = Math.Abs(oldM[i]) + gScale;
            double vScale = Math.Abs(oldV[i]) + (gScale * gScale);
            Near(expected.M[i], m[i], mScale, $"m[{i}] of {length}");
            Near(expected.V[i], v[i], vScale, $"v[{i}] of {length}");
            if (scalars.Amsgrad)
            {
                Near(expected.MaxV[i], maxV[i], expected.MaxV[i], $"maxV[{i}] of {length}");
            }

            Near(expected.P[i], p[i], expected.PScale[i], $"p[{i}] of {length}");
            foreach (var (name, twin) in twins)
            {
                Near(twin.P[i], p[i], expected.PScale[i], $"p[{i}] of {length} vs {name}");
                Near(twin.M[i], m[i], mScale, $"m[{i}] of {length} vs {name}");
                Near(twin.V[i], v[i], vScale, $"v[{i}] of {length} vs {name}");
            }
        }
    }

    private static (float[] P, float[] M, float[] V) Run(
        IAdamUpdateKernel kernel, float[] p, float[] g, float[] m, float[] v, float[] maxV, AdamStepScalars scalars)
    {
        var (pc, mc, vc, maxVc) = (p.ToArray(), m.ToArray(), v.ToArray(), maxV.ToArray());
        kernel.Step(pc, g, mc, vc, maxVc, scalars);
        return (pc, mc, vc);
    }

    private static void Near(double expected, float actual, double scale, string what) =>
        Assert.True(Math.Abs(actual - expected) <= RelativeTolerance * scale, $"{what}: {actual} vs reference {expected} (scale {scale})");

    private static float[] Normal(Random random, int length, float sigma = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            double u = 1 - random.NextDouble();
            values[i] = sigma * (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return values;
    }
}
