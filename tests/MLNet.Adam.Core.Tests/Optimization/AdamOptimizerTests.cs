using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Core.Tests.Optimization;

public class AdamOptimizerTests
{
    [Fact]
    public void Step_FirstStepEpsilonZero_MovesEachCoordinateByLearningRateTimesSign()
    {
        var h = new AdamHyperparameters { LearningRate = 0.01f, Epsilon = 0f };
        var optimizer = new AdamOptimizer(h, 6, 4);
        float[] p = [1f, -2f, 0.5f, 0f, 3f, -3f];
        float[] start = (float[])p.Clone();
        float[] g = [0.3f, -7f, 1e-4f, -1e3f, 2f, -0.01f];
        optimizer.Step(p, g, h.LearningRate);

        for (int i = 0; i < p.Length; i++)
        {
            // The bias-corrected first step is lr * g / |g| whatever the gradient's magnitude.
            Assert.Equal(-0.01 * Math.Sign(g[i]), p[i] - (double)start[i], 1e-7);
        }

        Assert.Equal(1, optimizer.State.Step);
    }

    [Fact]
    public void Step_WithoutARate_UsesTheHyperparametersLearningRate()
    {
        var h = new AdamHyperparameters { LearningRate = 0.05f };
        var implicitRate = new AdamOptimizer(h, 3, 2);
        var explicitRate = new AdamOptimizer(h, 3, 2);
        var other = new AdamOptimizer(h, 3, 2);
        float[] a = [1f, 2f, 3f], b = [1f, 2f, 3f], c = [1f, 2f, 3f];
        float[] g = [0.5f, -1f, 2f];
        implicitRate.Step(a, g);
        explicitRate.Step(b, g, 0.05f);
        other.Step(c, g, 0.01f);
        Assert.Equal(b, a);
        Assert.NotEqual(c, a);
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0f)]
    [InlineData(false, 1e-45f)]
    [InlineData(true, 1e-45f)]
    public void Step_EpsilonZeroAndZeroGradient_LeavesThatCoordinateFiniteAndOthersAsWithoutEpsilon(bool amsgrad, float epsilon)
    {
        // Coordinate 1 never sees a gradient (an all-zero feature); the others follow the rule with epsilon 0 exactly.
        var h = new AdamHyperparameters { LearningRate = 0.01f, Epsilon = epsilon, Amsgrad = amsgrad, L1Regularization = 1e-3f };
        var optimizer = new AdamOptimizer(h, 4, 3);
        float[] p = [0.5f, 0.25f, -1f, 0.1f];
        var oracle = new AdamReference(1, h.Beta1, h.Beta2, 0, amsgrad, 0, 0, 0);
        double[] expected = [0.1];
        var random = new Random(3);
        for (int step = 0; step < 20; step++)
        {
            float[] g = [(float)(random.NextDouble() - 0.5), 0f, (float)(random.NextDouble() - 0.5), 1e-3f * (float)random.NextDouble()];
            optimizer.Step(p, g, h.LearningRate);
            oracle.Step(expected, [g[3]], h.LearningRate);
        }

        Assert.All(p, x => Assert.True(float.IsFinite(x), string.Join(", ", p)));
        Assert.All(optimizer.State.FirstMoment.Concat(optimizer.State.SecondMoment), x => Assert.True(float.IsFinite(x)));

        // L1 with an infinite effective step (no gradient ever) is the proximal limit: the weight goes to 0.
        Assert.Equal(0f, p[1]);
        Assert.Equal(expected[0], p[3], 1e-6);
        var plain = new AdamOptimizer(h with { L1Regularization = 0 }, 4, 3);
        float[] q = [0.5f, 0.25f, -1f, 0.1f];
        plain.Step(q, [0.3f, 0f, -0.2f, 1e-3f], h.LearningRate);
        Assert.Equal(0.25f, q[1]);
        Assert.Equal(0.5 - 0.01, q[0], 1e-7);
    }

    [Theory]
    [InlineData(false, 0f, 0f, 0f, false)]
    [InlineData(true, 0f, 0f, 0f, false)]
    [InlineData(false, 0.1f, 0f, 0f, false)]
    [InlineData(false, 0f, 0.2f, 0f, false)]
    [InlineData(false, 0f, 0f, 0.003f, false)]
    [InlineData(true, 0.1f, 0.2f, 0.003f, false)]
    [InlineData(true, 0.1f, 0.2f, 0.003f, true)]
    public void Step_ManySteps_MatchesDoublePrecisionTextbookAdam(bool amsgrad, float l2, float decay, float l1, bool regularizeBias)
    {
        const int n = 9;
        const int weights = 7;
        var h = new AdamHyperparameters
        {
            LearningRate = 0.02f, Amsgrad = amsgrad, L2Regularization = l2, WeightDecay = decay,
            L1Regularization = l1, RegularizeBias = regularizeBias,
        };
        var optimizer = new AdamOptimizer(h, n, weights);
        var weightsOracle = new AdamReference(n, h.Beta1, h.Beta2, h.Epsilon, amsgrad, l2, decay, l1);
        var biasOracle = new AdamReference(n, h.Beta1, h.Beta2, h.Epsilon, amsgrad, 0, 0, 0);
        var random = new Random(5);
        float[] p = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        double[] weightsExpected = p.Select(x => (double)x).ToArray();
        double[] biasExpected = (double[])weightsExpected.Clone();

        for (int step = 0; step < 60; step++)
        {
            // Gradients shrinking over time make AMSGrad's maximum differ from v.
            float[] g = Enumerable.Range(0, n).Select(i => (float)((random.NextDouble() - 0.4) * 3 / (1 + step))).ToArray();
            double[] gd = g.Select(x => (double)x).ToArray();
            float lr = 0.02f * (1 + (step % 3));
            optimizer.Step(p, g, lr);
            weightsOracle.Step(weightsExpected, gd, lr);
            biasOracle.Step(biasExpected, gd, lr);
        }

        for (int i = 0; i < n; i++)
        {
            double expected = i < weights || regularizeBias ? weightsExpected[i] : biasExpected[i];
            Assert.True(Math.Abs(expected - p[i]) <= 1e-4, $"p[{i}]: expected {expected}, got {p[i]}.");
            if (expected == 0)
            {
                Assert.Equal(0f, p[i]);
            }
        }
    }

    [Fact]
    public void Step_Amsgrad_KeepsRunningMaximumOfSecondMoment()
    {
        var optimizer = new AdamOptimizer(new AdamHyperparameters { Amsgrad = true }, 2, 2);
        float[] p = [0f, 0f];
        optimizer.Step(p, [10f, 1f], 0.001f);
        float[] afterLarge = (float[])optimizer.State.SecondMoment.Clone();
        optimizer.Step(p, [0.1f, 1f], 0.001f);

        Assert.True(optimizer.State.SecondMoment[0] < afterLarge[0]);
        Assert.Equal(afterLarge[0], optimizer.State.MaxSecondMoment[0]);
        Assert.Equal(optimizer.State.SecondMoment[1], optimizer.State.MaxSecondMoment[1]);
    }

    [Fact]
    public void Step_WeightDecayWithZeroGradient_ScalesWeightsOnlyByOneMinusLrTimesDecay()
    {
        var optimizer = new AdamOptimizer(new AdamHyperparameters { WeightDecay = 0.5f }, 3, 2);
        float[] p = [2f, -4f, 8f];
        optimizer.Step(p, new float[3], 0.1f);

        float factor = (float)(1 - (0.1 * 0.5));
        Assert.Equal(2f * factor, p[0]);
        Assert.Equal(-4f * factor, p[1]);
        Assert.Equal(8f, p[2]);
    }

    [Fact]
    public void Step_CoupledL2WithZeroGradient_MovesWeightsAgainstTheirSignOnly()
    {
        var optimizer = new AdamOptimizer(new AdamHyperparameters { L2Regularization = 0.3f, Epsilon = 0f }, 3, 2);
        float[] p = [2f, -4f, 8f];
        optimizer.Step(p, [0f, 0f, 1f], 0.01f);

        // The L2 gradient 0.3 * p is rescaled by Adam like any gradient: a first step of lr against its sign.
        Assert.Equal(1.99, p[0], 1e-6);
        Assert.Equal(-3.99, p[1], 1e-6);
        Assert.Equal(7.99, p[2], 1e-6);
    }

    [Fact]
    public void Step_L1AboveTrueSlope_ConvergesToExactZerosAndSoftThresholdElsewhere()
    {
        // f(p) = 0.5 * sum (p_i - a_i)^2 + L1 |p|: the minimizer is sign(a) * max(|a| - L1, 0).
        float[] a = [0.05f, -0.08f, 0.5f, -0.9f, 0.3f];
        var optimizer = new AdamOptimizer(new AdamHyperparameters { L1Regularization = 0.1f }, 5, 4);
        float[] p = [1f, 1f, 1f, 1f, 1f];
        var g = new float[5];
        var schedule = new CosineSchedule(0.05f, 3000, minLearningRate: 1e-4f);
        for (long t = 0; t < 3000; t++)
        {
            for (int i = 0; i < 5; i++)
            {
                g[i] = p[i] - a[i];
            }

            optimizer.Step(p, g, schedule.GetLearningRate(t));
        }

        Assert.Equal(0f, p[0]);
        Assert.Equal(0f, p[1]);
        Assert.Equal(0.4, p[2], 2e-3);
        Assert.Equal(-0.8, p[3], 2e-3);
        Assert.Equal(0.3, p[4], 2e-3);
    }

    [Fact]
    public void Step_ScalarKernel_GivesSameParametersAsDefaultKernel()
    {
        var h = new AdamHyperparameters { LearningRate = 0.05f, Amsgrad = true, L2Regularization = 0.01f, WeightDecay = 0.01f, L1Regularization = 0.001f };
        var fused = new AdamOptimizer(h, 300, 290);
        var scalar = new AdamOptimizer(h, 300, 290, new ScalarAdamUpdateKernel());
        Assert.IsType<FusedAdamUpdateKernel>(fused.Kernel);
        var random = new Random(3);
        float[] p1 = Enumerable.Range(0, 300).Select(_ => (float)random.NextDouble()).ToArray();
        float[] p2 = (float[])p1.Clone();
        for (int step = 0; step < 20; step++)
        {
            float[] g = Enumerable.Range(0, 300).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            fused.Step(p1, g, h.LearningRate);
            scalar.Step(p2, g, h.LearningRate);
        }

        Assert.Equal(p2, p1);
    }

    [Fact]
    public void Step_WrongLengths_ThrowsNamingTheArgument()
    {
        var optimizer = new AdamOptimizer(new AdamHyperparameters(), 4, 3);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => optimizer.Step(new float[5], new float[4], 0.1f)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => optimizer.Step(new float[4], new float[3], 0.1f)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(new float[4], new float[4], -1f)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(new float[4], new float[4], float.NaN)).ParamName);
        Assert.Equal(0, optimizer.State.Step);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throws()
    {
        var h = new AdamHyperparameters();
        Assert.Equal("regularizedCount", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(h, 4, 5)).ParamName);
        Assert.Equal("regularizedCount", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(h, 4, -1)).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(h with { LearningRate = 0 }, 4, 4)).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => new AdamOptimizer(h with { Amsgrad = true }, new AdamState(4, false), 4)).ParamName);
    }

    [Fact]
    public void Constructor_FromState_ContinuesFromItsStep()
    {
        var state = AtStep(new AdamState(3, amsgrad: false), 41);
        var optimizer = new AdamOptimizer(new AdamHyperparameters(), state, 2);
        optimizer.Step(new float[3], [1f, 1f, 1f], 0.1f);
        Assert.Same(state, optimizer.State);
        Assert.Equal(42, state.Step);
    }

    private static AdamState AtStep(AdamState state, long step)
    {
        state.Advance(step);
        return state;
    }
}
