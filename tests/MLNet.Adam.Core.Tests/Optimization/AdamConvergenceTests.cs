using MLNet.Adam.Optimization;

namespace MLNet.Adam.Core.Tests.Optimization;

public class AdamConvergenceTests
{
    [Fact]
    public void Step_IllConditionedConvexQuadratic_ReachesMinimizer()
    {
        // f(p) = 0.5 * sum c_i (p_i - t_i)^2 with curvatures over three decades: Adam's per-coordinate scaling copes.
        const int n = 50;
        var random = new Random(11);
        double[] curvature = Enumerable.Range(0, n).Select(i => Math.Pow(10, -1 + (3.0 * i / n))).ToArray();
        float[] target = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * 4)).ToArray();
        float[] p = new float[n];
        var g = new float[n];
        var optimizer = new AdamOptimizer(new AdamHyperparameters { LearningRate = 0.05f }, n, n - 1);
        var schedule = new CosineSchedule(0.05f, 4000, warmupSteps: 50, minLearningRate: 1e-5f);
        for (long t = 0; t < 4000; t++)
        {
            for (int i = 0; i < n; i++)
            {
                g[i] = (float)(curvature[i] * (p[i] - target[i]));
            }

            optimizer.Step(p, g, schedule.GetLearningRate(t));
        }

        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(p[i] - target[i]) < 1e-3, $"p[{i}] = {p[i]}, target {target[i]}.");
        }
    }

    [Fact]
    public void Step_Rosenbrock2D_ReachesOneOne()
    {
        // f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 from the classic start (-1.2, 1): a curved, badly scaled valley.
        float[] p = [-1.2f, 1f];
        var g = new float[2];
        var optimizer = new AdamOptimizer(new AdamHyperparameters { LearningRate = 0.02f }, 2, 2);
        var schedule = new CosineSchedule(0.02f, 20_000, minLearningRate: 1e-5f);
        for (long t = 0; t < 20_000; t++)
        {
            double x = p[0], y = p[1];
            g[0] = (float)((-2 * (1 - x)) - (400 * x * (y - (x * x))));
            g[1] = (float)(200 * (y - (x * x)));
            optimizer.Step(p, g, schedule.GetLearningRate(t));
        }

        Assert.True(Math.Abs(p[0] - 1) < 1e-2 && Math.Abs(p[1] - 1) < 2e-2, $"Ended at ({p[0]}, {p[1]}).");
    }
}
