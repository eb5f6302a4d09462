using MLNet.Adam.Kernels;
using MLNet.Adam.Training;

namespace MLNet.Adam.Core.Tests.Training;

public class DescentTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void FullBatch_SmallData_StopsOnConvergence_NearTheMinimum(int classes)
    {
        var data = new TrainingFixture(200, 3, classes);
        var objective = data.Objective(l2: 1);
        var (outcome, theta) = Train(data, objective, maxEpochs: 400);
        Assert.StartsWith("converged", outcome.StopReason);
        Assert.True(outcome.Epochs < 400);

        // At the minimum the full gradient (penalty included) is small against the one at the start.
        var batch = data.AllRows();
        var start = new float[theta.Length];
        var end = new float[theta.Length];
        objective.Gradient(batch, data.InitialTheta(), batch.TotalWeight(), start);
        objective.Gradient(batch, theta, batch.TotalWeight(), end);
        Assert.True(Norm(end) < 0.05 * Norm(start), $"gradient norm {Norm(end)} against {Norm(start)} at the start");
    }

    [Fact]
    public void MiniBatches_MonitoredOnTheTrainingRows_StopEarlier_AtTheSameObjective()
    {
        // 5,000 rows in 20 batches per epoch: the mean of the batch losses lags behind the weights, so each plateau,
        // reduction and the stop are seen late; the training rows' objective at epoch ends sees them when they happen.
        var data = new TrainingFixture(5000, 4, 3);
        var objective = data.Objective(l2: 1);
        var (exact, exactTheta) = Train(data, objective, maxEpochs: 200, tolerance: 1e-3, evaluateRows: true);
        var (means, meansTheta) = Train(data, objective, maxEpochs: 200, tolerance: 1e-3, evaluateRows: false);
        Assert.StartsWith("converged", exact.StopReason);
        Assert.StartsWith("converged", means.StopReason);
        Assert.True(exact.Epochs < means.Epochs, $"{exact.Epochs} epochs on the training rows against {means.Epochs} on the batch losses");
        double exactLoss = data.MeanLoss(objective, exactTheta), meansLoss = data.MeanLoss(objective, meansTheta);
        Assert.True(exactLoss <= meansLoss * 1.001, $"training loss {exactLoss} against {meansLoss}");
    }

    [Fact]
    public void Resume_NThenM_EqualsNPlusM_BitForBit()
    {
        var data = new TrainingFixture(500, 4, 3);
        var objective = data.Objective();
        var (whole, _) = Train(data, objective, maxEpochs: 7, batchSize: 64);
        var (first, _) = Train(data, objective, maxEpochs: 3, batchSize: 64);
        var (rest, _) = Train(data, objective, maxEpochs: 7, batchSize: 64, resume: first.State, start: (float[])first.Parameters.Clone());
        Assert.Equal(7, rest.Epochs);
        Assert.Equal(whole.Parameters, rest.Parameters);
        Assert.Equal(whole.State.Optimizer.SecondMoment, rest.State.Optimizer.SecondMoment);
        Assert.Equal(whole.State.RowsSeen, rest.State.RowsSeen);
    }

    [Fact]
    public void SameSeed_SameWeights_OtherSeed_OtherWeights()
    {
        var data = new TrainingFixture(500, 4, 2);
        var objective = data.Objective();
        var a = Train(data, objective, maxEpochs: 3, batchSize: 50, seed: 1).Outcome.Parameters;
        var b = Train(data, objective, maxEpochs: 3, batchSize: 50, seed: 1).Outcome.Parameters;
        var c = Train(data, objective, maxEpochs: 3, batchSize: 50, seed: 2).Outcome.Parameters;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Validation_EarlyStops_AndKeepsTheBestEpochsParameters()
    {
        var data = new TrainingFixture(400, 20, 2, noise: 3);
        var held = new TrainingFixture(200, 20, 2, seed: 9, noise: 3);
        var objective = data.Objective(l2: 0);
        var validator = new PackedEvaluator(held.Rows, data.Gradients, 256, sparse: false);
        using var source = new PackedBatchSource(data.Rows, 16, false, true, 3);
        var descent = new Descent(TrainingFixture.Settings(maxEpochs: 300), objective);
        var outcome = descent.Run(source, validator, data.InitialTheta(), null, 25, 0, CancellationToken.None);
        Assert.StartsWith("early stopping", outcome.StopReason);
        Assert.NotNull(outcome.BestParameters);
        var best = validator.Evaluate(objective.Raw(outcome.BestParameters!), CancellationToken.None);
        Assert.Equal(outcome.BestValidationLoss!.Value, best.WeightedLoss / best.TotalWeight, 10);
    }

    [Fact]
    public void Observer_SeesEveryStepAndEpoch()
    {
        var data = new TrainingFixture(100, 2, 2);
        var observer = new CountingObserver();
        using var source = new PackedBatchSource(data.Rows, 25, false, true, 3);
        var descent = new Descent(TrainingFixture.Settings(maxEpochs: 3), data.Objective()) { Observer = observer };
        descent.Run(source, null, data.InitialTheta(), null, 4, 0, CancellationToken.None);
        Assert.Equal(12, observer.Steps);
        Assert.Equal([1, 2, 3], observer.Epochs);
    }

    [Fact]
    public void Divergence_ThrowsNamingTheStep()
    {
        var data = new TrainingFixture(100, 2, 2);
        using var source = new PackedBatchSource(data.Rows, 25, false, true, 3);
        var descent = new Descent(TrainingFixture.Settings(), data.Objective());
        var theta = data.InitialTheta();
        theta[0] = float.NaN;
        var error = Assert.Throws<InvalidOperationException>(() => descent.Run(source, null, theta, null, 4, 0, CancellationToken.None));
        Assert.Contains("diverged", error.Message);
        Assert.Contains("step 1", error.Message);
    }

    internal static (DescentOutcome Outcome, float[] Theta) Train(
        TrainingFixture data, LinearObjective objective, int maxEpochs, int? batchSize = null, int seed = 3, DescentState? resume = null, float[]? start = null,
        double tolerance = 1e-4, bool? evaluateRows = null)
    {
        var plan = TrainingPlan.Create(data.Shape.FeatureCount, data.ClassTotals.Length, data.Binary, 1, data.Rows.Count, data.Rows, batchSize);
        using var source = new PackedBatchSource(data.Rows, plan.BatchSize, false, true, seed) { FullBatchSteps = plan.FullBatchSteps };
        var descent = new Descent(TrainingFixture.Settings(maxEpochs, tolerance), objective)
        {
            TrainingRows = (evaluateRows ?? plan.EvaluatesTrainingRows(checkRows: 0)) ? new PackedEvaluator(data.Rows, data.Gradients, plan.BatchSize, false) : null,
        };
        var theta = start ?? data.InitialTheta();
        var outcome = descent.Run(source, null, theta, resume, plan.StepsPerEpoch, 0, CancellationToken.None);
        return (outcome, outcome.Parameters);
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private sealed class CountingObserver : IDescentObserver
    {
        public int Steps { get; private set; }

        public List<int> Epochs { get; } = [];

        public void Step(int epoch, long step, long rowsSeen, double epochMeanLoss, float learningRate) => Steps++;

        public void EpochEnd(DescentEpoch epoch) => Epochs.Add(epoch.Epoch);
    }
}

public class L2PathTests
{
    [Fact]
    public void Search_WalksFromStrongToWeak_AndIsAFunctionOfTheSeed()
    {
        // Few rows, many noisy features: some L2 helps, so the path neither stops at its first point nor runs to its end.
        var data = new TrainingFixture(200, 30, 2, noise: 2);
        var plan = TrainingPlan.Create(30, 2, true, 1, 200, data.Rows, null);
        var objective = data.Objective(l2: 0);
        var settings = TrainingFixture.Settings();
        var a = L2Path.Search(objective, settings, data.Rows, plan, null, true, 1, data.InitialTheta(), CancellationToken.None)!;
        var b = L2Path.Search(objective, settings, data.Rows, plan, null, true, 1, data.InitialTheta(), CancellationToken.None)!;
        Assert.Equal("5-fold cross-validation", a.Method);
        Assert.True(a.Points.Count >= 3);
        Assert.True(a.Points.Zip(a.Points.Skip(1)).All(p => p.Second.L2 < p.First.L2));
        Assert.Equal((float)(L2Path.PathStart * 200), a.Points[0].L2, 3);
        Assert.Equal(a.Points.MinBy(p => p.HeldOutLoss).L2, a.L2);
        Assert.Equal(a.Points, b.Points);
        Assert.Equal(a.Parameters, b.Parameters);
    }

    [Fact]
    public void Search_OnOneHoldOut_StopsAtTheFirstWorsePoint_AndReportsTheChosenPointsEpochs()
    {
        // A given batch size means mini-batches, so the path holds out one part instead of 5 folds.
        var data = new TrainingFixture(200, 30, 2, noise: 2);
        var plan = TrainingPlan.Create(30, 2, true, 1, 200, data.Rows, 32);
        var result = L2Path.Search(data.Objective(l2: 0), TrainingFixture.Settings(), data.Rows, plan, 32, true, 1, data.InitialTheta(), CancellationToken.None)!;
        Assert.True(result.OneHoldOut);
        int best = result.Points.Select((p, i) => (p, i)).MinBy(x => x.p.HeldOutLoss).i;
        Assert.True(best >= 1, "the fixture's path should improve on its first point");
        Assert.True(result.Points.Count - 1 - best <= 1, $"{result.Points.Count} points, best at {best}");
        Assert.Equal(result.Points[best].Epochs, result.Epochs);
    }

    [Theory]
    [InlineData(true, 30, 1000, 30)]
    [InlineData(true, 30, 20, 20)]
    [InlineData(true, 0, 1000, 1)]
    [InlineData(false, 30, 1000, 1000)]
    public void FinalFitMaxEpochs_IsTheChosenPointsEpochs_AfterOneHoldOut(bool oneHoldOut, int pointEpochs, int maxEpochs, int expected)
    {
        var result = new L2PathResult(1f, [], [], oneHoldOut ? 1 : 5, TimeSpan.Zero, pointEpochs);
        Assert.Equal(expected, result.FinalFitMaxEpochs(maxEpochs));
    }

    [Fact]
    public void ReasonNotToSearch_StreamedLargeOrTinyData()
    {
        var shape = ModelShape.Binary(4);
        Assert.Contains("streamed", L2Path.ReasonNotToSearch(null, shape));
        Assert.Contains("too few", L2Path.ReasonNotToSearch(new TrainingFixture(30, 4, 2).Rows, shape));
        Assert.Contains("rows for", L2Path.ReasonNotToSearch(new TrainingFixture(600, 4, 2).Rows, shape));
        Assert.Null(L2Path.ReasonNotToSearch(new TrainingFixture(200, 4, 2).Rows, shape));
    }
}

public class ShardedGradientTests
{
    [Fact]
    public void ForcedShards_SumToTheUnsplitGradient()
    {
        var data = new TrainingFixture(256, 8, 3);
        var batch = data.AllRows();
        var theta = data.InitialTheta().Select((t, i) => t + (0.01f * i)).ToArray();
        var one = new ShardedGradient(() => KernelFactory.CreateGradient(data.Shape, false, KernelBackend.Managed), data.Shape, 1);
        var four = new ShardedGradient(() => KernelFactory.CreateGradient(data.Shape, false, KernelBackend.Managed), data.Shape, 4) { WorkPerShard = 0 };
        var g1 = new float[theta.Length];
        var g4 = new float[theta.Length];
        double l1 = one.Compute(batch, theta, g1);
        double l4 = four.Compute(batch, theta, g4);
        Assert.Equal(4, four.ThreadsUsed);
        Assert.Equal(1, l4 / l1, 9);
        for (int i = 0; i < g1.Length; i++)
        {
            Assert.True(Math.Abs(g1[i] - g4[i]) <= 1e-5 * Math.Max(1, Math.Abs(g1[i])), $"parameter {i}: {g1[i]} unsplit, {g4[i]} in four shards");
        }
    }

    [Fact]
    public void SmallBatches_AreNotSplit()
    {
        var shape = ModelShape.Binary(50);
        var sharded = new ShardedGradient(() => KernelFactory.CreateGradient(shape, false, KernelBackend.Managed), shape, 8);
        Assert.Equal(1, sharded.ShardsFor(256, 256 * 50));
        Assert.Equal(2, sharded.ShardsFor(100_000, (long)(2.1 * ShardedGradient.MinimumWorkPerShard)));
    }
}

public class ParameterLayoutTests
{
    [Fact]
    public void FeatureMajor_CanonicalRoundTrip()
    {
        var shape = ModelShape.Multiclass(3, 4, WeightLayout.FeatureMajor);
        var canonical = Enumerable.Range(0, shape.ParameterCount).Select(i => (float)i).ToArray();
        var kernel = ParameterLayout.FromCanonical(shape, canonical);
        Assert.Equal(canonical[(2 * 3) + 1], kernel[shape.WeightIndex(2, 1)]);
        Assert.Equal(canonical, ParameterLayout.ToCanonical(shape, kernel));
        Assert.Throws<ArgumentException>(() => ParameterLayout.FromCanonical(shape, new float[3]));
    }

    [Fact]
    public void Initial_BiasesAreTheLogPriors()
    {
        var shape = ModelShape.Multiclass(2, 3, WeightLayout.ClassMajor);
        var p = ParameterLayout.Initial(shape, [10, 30, 60], [1, 1, 1]);
        Assert.All(p.Take(6), w => Assert.Equal(0f, w));
        Assert.Equal(Math.Log(30.5 / 101.5), p[shape.BiasIndex(1)], 5);
    }
}

public class BatchPipelineTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadAhead_GivesTheSameBatchesInOrder(bool readAhead)
    {
        int next = 0;
        bool Fill(MiniBatch batch)
        {
            if (next >= 5)
            {
                return false;
            }

            batch.AddDense([next], next % 2, 1);
            next++;
            return true;
        }

        using var pipeline = new BatchPipeline(Fill, new MiniBatch(1, 1, false), new MiniBatch(1, 1, false), readAhead);
        var seen = new List<float>();
        while (pipeline.Next() is { } batch)
        {
            seen.Add(batch.DenseValues[0]);
        }

        Assert.Equal([0f, 1, 2, 3, 4], seen);
    }
}
