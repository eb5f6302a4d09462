using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;
using MLNet.Adam.Training;

namespace MLNet.Adam.Core.Tests.Training;

public class LinearObjectiveTests
{
    [Theory]
    [InlineData(2, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Gradient_IsTheDerivativeOfTheMonitoredValue(int classes, bool standardize)
    {
        // The function the loop optimizes (Gradient) and the one the convergence test watches (Value) are one function:
        // central differences of Value(mean loss, θ) match the full-batch gradient in θ space, penalty included.
        var data = new TrainingFixture(300, 4, classes, standardize: standardize);
        var objective = data.Objective(l2: 40);
        var random = new Random(2);
        var theta = data.InitialTheta().Select(t => t + (float)(random.NextDouble() - 0.5)).ToArray();
        var batch = data.AllRows();
        var gradient = new float[theta.Length];
        objective.Gradient(batch, theta, batch.TotalWeight(), gradient);

        double Value(float[] t) => objective.Value(data.MeanLoss(objective, t), t);
        for (int i = 0; i < theta.Length; i++)
        {
            const float h = 1e-2f;
            var up = (float[])theta.Clone();
            var down = (float[])theta.Clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (Value(up) - Value(down)) / (up[i] - down[i]);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 2e-3 + (2e-2 * Math.Abs(numeric)), $"parameter {i}: numeric {numeric}, analytic {gradient[i]}");
        }
    }

    [Fact]
    public void L1_IsMeasuredOnTheParametersTheOptimizerThresholds()
    {
        var data = new TrainingFixture(100, 3, 2);
        Assert.False(data.Map.IsIdentity);
        var objective = data.Objective(l2: 0, l1: 6);
        var theta = new float[] { 0.5f, -2, 1, 7 }; // the bias (7) is not penalized
        Assert.Equal(6 * 3.5 / 100, objective.Penalty(theta), 12);
        var configured = objective.Configure(TrainingFixture.Settings().Adam);
        Assert.Equal(6f / 100, configured.L1Regularization);
        Assert.Equal(0f, configured.L2Regularization);
        Assert.False(configured.RegularizeBias);
    }

    [Fact]
    public void L2_IsOnTheRawWeights()
    {
        var data = new TrainingFixture(100, 3, 2);
        var objective = data.Objective(l2: 4);
        var theta = new float[] { 0.5f, -2, 1, 7 };
        var raw = (float[])objective.Raw(theta).Clone();
        Assert.NotEqual(theta[0], raw[0]);
        Assert.Equal(0.5 * 4 * raw.Take(3).Sum(w => (double)w * w) / 100, objective.Penalty(theta), 6);
    }

    [Fact]
    public void RawModel_ScoresRawRowsAsThetaScoresStandardizedRows()
    {
        var data = new TrainingFixture(50, 4, 3);
        var objective = data.Objective();
        var random = new Random(4);
        var theta = Enumerable.Range(0, data.Shape.ParameterCount).Select(_ => (float)random.NextDouble()).ToArray();
        var model = objective.RawModel(theta);
        var row = new float[] { 1, 2, 3, 4 };
        for (int c = 0; c < 3; c++)
        {
            double rawScore = model[data.Shape.BiasIndex(c)];
            double thetaScore = theta[data.Shape.BiasIndex(c)];
            for (int j = 0; j < 4; j++)
            {
                rawScore += model[(c * 4) + j] * row[j];
                thetaScore += theta[data.Shape.WeightIndex(c, j)] * (row[j] - data.Map.Mean[j]) * data.Map.InverseScale[j];
            }

            Assert.Equal(thetaScore, rawScore, 4);
        }
    }

    [Fact]
    public void L2InUpdate_LeavesTheL2GradientToTheOptimizer_OnlyOnTheIdentityMap()
    {
        var raw = new TrainingFixture(100, 3, 2, standardize: false);
        var fused = raw.Objective(l2: 8).WithL2InUpdate();
        Assert.True(fused.L2InUpdate);
        Assert.Equal(8f / 100, fused.Configure(TrainingFixture.Settings().Adam).L2Regularization);
        var theta = new float[] { 0.5f, -2, 1, 0.25f };
        var batch = raw.AllRows();
        var withL2 = new float[4];
        var withoutL2 = new float[4];
        raw.Objective(l2: 8).Gradient(batch, theta, batch.TotalWeight(), withL2);
        fused.Gradient(batch, theta, batch.TotalWeight(), withoutL2);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(withL2[i], withoutL2[i] + (8f / 100 * theta[i]), 5);
        }

        Assert.Equal(withL2[3], withoutL2[3]); // the bias is not penalized
        Assert.Equal(raw.Objective(l2: 8).Penalty(theta), fused.Penalty(theta));

        var standardized = new TrainingFixture(100, 3, 2);
        Assert.False(standardized.Objective(l2: 8).WithL2InUpdate().L2InUpdate);
    }

    [Fact]
    public void IdentityMap_KernelsReadTheParametersThemselves()
    {
        var data = new TrainingFixture(20, 2, 2, standardize: false);
        var objective = data.Objective();
        var theta = new float[3];
        Assert.Same(theta, objective.Raw(theta));
    }
}

public class ConvergenceMonitorTests
{
    [Fact]
    public void Stops_AfterPatienceChecksWithoutRelativeImprovement()
    {
        var monitor = new ConvergenceMonitor(new ConstantSchedule(0.1f), 0.01, 2, keepBest: false);
        var p = new float[1];
        Assert.False(monitor.Observe(1.0, p, 1));
        Assert.False(monitor.Observe(0.9, p, 2));
        Assert.False(monitor.Observe(0.895, p, 3)); // less than 1 % better: 1 of 2
        Assert.True(monitor.Observe(0.894, p, 4));
        Assert.Equal(4, monitor.BestEpoch);
    }

    [Fact]
    public void PlateauSchedule_AboveItsFloor_ChecksDoNotCount_AndItHearsEveryCheck()
    {
        var schedule = new ReduceOnPlateauSchedule(1f, 0.5f, 0, 0.01, 0.25f);
        var monitor = new ConvergenceMonitor(schedule, 0.01, 1, keepBest: false);
        var p = new float[1];
        Assert.False(monitor.Observe(1.0, p, 1));
        Assert.False(monitor.Observe(1.0, p, 2)); // rate 1 -> 0.5, not at the floor yet
        Assert.Equal(0.5f, schedule.CurrentLearningRate);
        Assert.False(schedule.IsAtFloor);
        Assert.True(monitor.Observe(1.0, p, 3)); // rate 0.5 -> 0.25 = floor: now it counts
        Assert.True(schedule.IsAtFloor);
    }

    [Fact]
    public void KeepBest_CopiesTheBestParameters_AndStateRoundTrips()
    {
        var monitor = new ConvergenceMonitor(new ConstantSchedule(0.1f), 0, 3, keepBest: true);
        var p = new float[] { 1 };
        monitor.Observe(2, p, 1);
        p[0] = 2;
        monitor.Observe(1, p, 2);
        p[0] = 3;
        monitor.Observe(5, p, 3);
        Assert.Equal([2f], monitor.BestParameters!);
        var restored = new ConvergenceMonitor(new ConstantSchedule(0.1f), 0, 3, keepBest: true);
        restored.Restore(monitor.State);
        Assert.Equal(monitor.State with { BestParameters = null }, restored.State with { BestParameters = null });
        Assert.Equal(monitor.BestParameters, restored.BestParameters);
    }
}

public class TrainingPlanTests
{
    [Fact]
    public void SmallPackedData_TrainsFullBatch_WithTheExactObjective()
    {
        var data = new TrainingFixture(120, 4, 3);
        var plan = TrainingPlan.Create(4, 3, false, 1, 120, data.Rows, null);
        Assert.True(plan.FullBatch);
        Assert.True(plan.ExactObjective);
        Assert.Equal(120, plan.BatchSize);
        Assert.Equal(TrainingPlan.StepsPerSmallEpoch, plan.StepsPerEpoch);
        Assert.Equal(TrainingPlan.StepsPerSmallEpoch, plan.FullBatchSteps);
    }

    [Fact]
    public void UserBatchSize_OrStreamedRows_NoFullBatch()
    {
        var data = new TrainingFixture(120, 4, 2);
        var given = TrainingPlan.Create(4, 2, true, 1, 120, data.Rows, 32);
        Assert.False(given.FullBatch);
        Assert.True(given.ExactObjective);
        Assert.Equal(32, given.BatchSize);
        Assert.Equal(4, given.StepsPerEpoch);
        var streamed = TrainingPlan.Create(4, 2, true, 1, 120, null, null);
        Assert.False(streamed.FullBatch || streamed.ExactObjective);
        Assert.Equal(16, streamed.BatchSize);
    }

    [Fact]
    public void PackedMiniBatchData_WithManyStepsPerEpoch_EvaluatesItsTrainingRows()
    {
        var data = new TrainingFixture(5000, 4, 2);
        var plan = TrainingPlan.Create(4, 2, true, 1, 5000, data.Rows, null);
        Assert.False(plan.FullBatch || plan.ExactObjective);
        Assert.Equal(20, plan.StepsPerEpoch);
        Assert.True(plan.EvaluatesTrainingRows(checkRows: 0));

        // Checks within epochs keep the batch losses.
        Assert.False(plan.EvaluatesTrainingRows(checkRows: 1000));

        // Fewer than 16 steps per epoch: the batch losses lag by a few steps only.
        var few = TrainingPlan.Create(4, 2, true, 1, 5000, data.Rows, 1000);
        Assert.Equal(5, few.StepsPerEpoch);
        Assert.False(few.EvaluatesTrainingRows(checkRows: 0));

        // Small data always, whatever its batch size.
        var small = TrainingPlan.Create(4, 2, true, 1, 120, new TrainingFixture(120, 4, 2).Rows, 32);
        Assert.Equal(4, small.StepsPerEpoch);
        Assert.True(small.EvaluatesTrainingRows(checkRows: 0));
    }

    [Fact]
    public void LargeRows_AutomaticBatchIsCapped_AndWideSparseModelsGetLargerBatches()
    {
        Assert.Equal(256, TrainingPlan.Create(50, 2, true, 1, 1_000_000, null, null).BatchSize);
        Assert.Equal(16, TrainingPlan.AutomaticBatchSize(100));
        // Text: 600 stored values per row, 3.3 million parameters: 63-row batches would spend their steps updating.
        var text = TrainingPlan.Create(150_000, 22, false, 0.004, 1000, null, null);
        Assert.True(text.Sparse);
        Assert.Equal(WeightLayout.FeatureMajor, text.Shape.Layout);
        Assert.Equal(63, TrainingPlan.AutomaticBatchSize(1000));
        Assert.InRange(text.BatchSize, 250, 256);
        var fewClasses = TrainingPlan.Create(1000, 3, false, 0.01, 10_000, null, null);
        Assert.Equal(WeightLayout.ClassMajor, fewClasses.Shape.Layout);
    }

    [Fact]
    public void CheckRows_OnlyOnLargeDataWithoutValidation()
    {
        Assert.Equal(500, TrainingPlan.CheckRows(1000, false, 500));
        Assert.Equal(0, TrainingPlan.CheckRows(1000, true, 500));
        Assert.Equal(0, TrainingPlan.CheckRows(400, false, 500));
    }
}
