using System.Diagnostics;
using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>What the first pass over the training rows found (see the ML.NET layer's data scan).</summary>
/// <param name="Rows">Usable training rows.</param>
/// <param name="ClassTotals">Sum of example weights per class, before class weighting.</param>
/// <param name="Mean">Per-feature weighted mean.</param>
/// <param name="Variance">Per-feature weighted population variance.</param>
/// <param name="NonZeroFraction">Mean fraction of stored feature values per row.</param>
/// <param name="Packed">The usable training rows in memory (class weights applied), or null when streamed.</param>
internal sealed record RowStatistics(long Rows, double[] ClassTotals, double[] Mean, double[] Variance, double NonZeroFraction, PackedRows? Packed);

/// <summary>
/// The options of a run that are not the step loop's (<see cref="DescentSettings"/> but for the kernel and schedule, built here).
/// <paramref name="LearningRate"/> is the user's initial rate, or null for the plan's <see cref="TrainingPlan.DefaultLearningRate"/>;
/// <paramref name="CreateSchedule"/> takes the steps per epoch, the plateau tolerance and the initial rate.
/// </summary>
internal sealed record RunOptions(
    AdamHyperparameters Adam, float? LearningRate, float GradientClipNorm, double? Tolerance, double MiniBatchTolerance, double ExactTolerance, int Patience, int MaxEpochs,
    Func<long, double, float, LearningRateSchedule> CreateSchedule,
    KernelBackend Backend, int Threads, int? BatchSize, float? L2, float FallbackL2, float L1, float WeightDecay, bool RegularizeBias, bool? Standardize,
    bool Shuffle, int Seed, int ConvergenceCheckRows);

/// <summary>Where a run starts: from scratch, from raw-space warm-start parameters (canonical layout), or from a checkpoint's state.</summary>
internal sealed record RunStart(float[]? WarmParameters, DescentState? Resume, ModelShape? ResumeShape, Standardization? ResumeMap, float? ResumeL2);

/// <summary>How the L2 weight of a run was chosen, and the epoch maximum of the final fit (<see cref="L2PathResult.FinalFitMaxEpochs"/>; null: the option's).</summary>
internal sealed record L2Decision(float L2, IReadOnlyList<L2Point> Path, TimeSpan Elapsed, int? MaxEpochs = null);

/// <summary>The result of a run: the raw-space model, the loop's outcome and what was decided on the way (the initial learning rate among it).</summary>
internal sealed record RunResult(
    TrainingPlan Plan, Standardization Map, float[] Model, DescentOutcome Outcome, L2Decision L2, string Kernels, int ThreadsUsed, float LearningRate);

/// <summary>
/// One training run after the first pass: the plan, the standardization, the kernels, the starting point, the L2
/// choice (given, the checkpoint's, or the path's), then the final fit by <see cref="Descent"/>; returns the raw-space
/// model. The ML.NET layer supplies the rows' statistics, a source of streamed batches and the validation rows.
/// </summary>
internal static class TrainingRun
{
    public static RunResult Execute(
        RowStatistics rows, int featureCount, int classCount, bool binary, float[] classWeights, double totalWeight, RunOptions options, RunStart start,
        Func<TrainingPlan, IBatchSource> streamed, Func<TrainingPlan, ShardedGradient, IRowEvaluator?> validation, IDescentObserver observer,
        Action<string> info, Action<string> warn, CancellationToken token)
    {
        var plan = TrainingPlan.Create(featureCount, classCount, binary, rows.NonZeroFraction, rows.Rows, rows.Packed, options.BatchSize);
        var shape = plan.Shape;
        if (start.ResumeShape is { } trained && trained != shape)
        {
            throw new ArgumentException(
                $"The checkpoint was trained with {trained.FeatureCount} features, {trained.OutputCount} output(s) and {trained.Layout} layout; " +
                $"this data needs {shape.FeatureCount}, {shape.OutputCount} and {shape.Layout}. Resume with the same data and options.", "checkpoint");
        }

        var map = start.ResumeMap ?? ChooseStandardization(shape, rows, plan.Sparse, options.Standardize, info);
        if (map.Warning is { } warning)
        {
            warn(warning);
        }

        float[] parameters;
        if (start.Resume is { } resume)
        {
            parameters = (float[])resume.Parameters.Clone();
        }
        else
        {
            var raw = start.WarmParameters is { } warm ? ParameterLayout.FromCanonical(shape, warm) : ParameterLayout.Initial(shape, rows.ClassTotals, classWeights);
            parameters = new float[shape.ParameterCount];
            map.FromRaw(raw, parameters);
        }

        var kernels = KernelChoice.Resolve(options.Backend, shape, plan.Sparse);
        var gradients = new ShardedGradient(kernels.CreateGradient, shape, options.Threads);
        string kernelText = $"{kernels.Description}, gradient '{gradients.KernelName}'";
        double tolerance = options.Tolerance ?? (plan.ExactObjective ? options.ExactTolerance : options.MiniBatchTolerance);
        float learningRate = options.LearningRate ?? plan.DefaultLearningRate;
        var settings = new DescentSettings(
            options.Adam with { LearningRate = learningRate }, options.GradientClipNorm, tolerance, options.Patience, options.MaxEpochs,
            (steps, plateauTolerance) => options.CreateSchedule(steps, plateauTolerance, learningRate), kernels.Update);
        var objective = new LinearObjective(map, gradients, 0f, options.L1, options.WeightDecay, options.RegularizeBias, totalWeight);

        var l2 = ChooseL2(objective, settings, rows.Packed, plan, options, start, ref parameters, info, token);
        info($"Training {(shape.IsBinary ? "logistic regression" : $"softmax regression ({shape.OutputCount} classes)")} on {rows.Rows} rows x {shape.FeatureCount} features " +
            $"({(plan.Sparse ? "sparse" : "dense")}, {rows.NonZeroFraction:P1} stored), batch {plan.BatchSize}{(plan.FullBatch ? $" (full batch, {TrainingPlan.StepsPerSmallEpoch} steps per epoch)" : "")}, " +
            $"up to {options.Threads} thread(s), {kernelText}, L2 {l2.L2:G4}, learning rate {learningRate:G4}{(options.LearningRate is null ? $" (the default for {(plan.SparseMiniBatches ? "sparse mini-batches" : plan.FullBatch ? "full batches" : "dense rows")})" : "")}.");

        using IBatchSource source = rows.Packed is { } packed
            ? new PackedBatchSource(packed, plan.BatchSize, plan.Sparse, options.Shuffle, options.Seed) { FullBatchSteps = plan.FullBatchSteps }
            : streamed(plan);
        var validator = validation(plan, gradients);
        long checkRows = TrainingPlan.CheckRows(rows.Rows, validator is not null, options.ConvergenceCheckRows);
        var descent = new Descent(l2.MaxEpochs is { } cap ? settings with { MaxEpochs = cap } : settings, objective.With(l2.L2, totalWeight))
        {
            TrainingRows = rows.Packed is { } all && validator is null && plan.EvaluatesTrainingRows(checkRows)
                ? new PackedEvaluator(all, gradients, plan.BatchSize, plan.Sparse)
                : null,
            Observer = observer,
        };
        var outcome = descent.Run(source, validator, parameters, start.Resume, plan.StepsPerEpoch, checkRows, token);
        var model = objective.RawModel(outcome.BestParameters ?? outcome.Parameters);
        return new RunResult(plan, map, model, outcome, l2, kernelText, gradients.ThreadsUsed, learningRate);
    }

    private static Standardization ChooseStandardization(ModelShape shape, RowStatistics rows, bool sparse, bool? standardize, Action<string> info)
    {
        bool on = standardize ?? (Standardization.IsWorthwhile(rows.Mean, rows.Variance, sparse, out string why)
            ? Log(info, $"Standardizing features implicitly ({why}).")
            : !Log(info, $"Training on the raw features ({why})."));
        return on ? new Standardization(shape, rows.Mean, rows.Variance) : Standardization.None(shape);
    }

    private static L2Decision ChooseL2(
        LinearObjective objective, DescentSettings settings, PackedRows? packed, TrainingPlan plan, RunOptions options, RunStart start, ref float[] parameters, Action<string> info, CancellationToken token)
    {
        if (options.L2 is { } given)
        {
            return new L2Decision(given, [], TimeSpan.Zero);
        }

        if (start.ResumeL2 is { } resumed)
        {
            info($"L2 {resumed:G4}: the value of the checkpoint's run.");
            return new L2Decision(resumed, [], TimeSpan.Zero);
        }

        float fallback = options.FallbackL2;
        if (L2Path.ReasonNotToSearch(packed, objective.Shape) is { } reason)
        {
            info($"L2 {fallback:G4}: {reason}.");
            return new L2Decision(fallback, [], TimeSpan.Zero);
        }

        var clock = Stopwatch.StartNew();
        var path = L2Path.Search(objective, settings, packed!, plan, options.BatchSize, options.Shuffle, options.Seed, parameters, token);
        if (path is null)
        {
            info($"L2 {fallback:G4}: the hold-out draw left a part empty.");
            return new L2Decision(fallback, [], clock.Elapsed);
        }

        string steps = string.Join(", ", path.Points.Select(p => $"{p.L2:G3}: {p.HeldOutLoss:F4} ({p.Epochs} epochs)"));
        info($"L2 {path.L2:G4} chosen ({path.Method}) in {clock.Elapsed.TotalSeconds:F2}s; path (L2: held-out log-loss): {steps}.");

        // A warm start is the user's starting point: the final fit starts from it, with the chosen L2.
        if (start.WarmParameters is not null)
        {
            return new L2Decision(path.L2, path.Points, clock.Elapsed);
        }

        parameters = path.Parameters;
        int? cap = path.FinalFitMaxEpochs(options.MaxEpochs) is var most && most < options.MaxEpochs ? most : null;
        if (cap is not null)
        {
            info($"The final fit starts from the chosen point's weights and runs at most {cap} epochs (the point's epochs on the rows not held out).");
        }

        return new L2Decision(path.L2, path.Points, clock.Elapsed, cap);
    }

    private static bool Log(Action<string> info, string message)
    {
        info(message);
        return true;
    }
}
