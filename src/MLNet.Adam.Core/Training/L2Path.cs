using System.Diagnostics;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>One point of an L2 path: the L2 weight (on the summed loss of all training rows), its held-out log-loss and the epochs it took, summed over folds.</summary>
internal readonly record struct L2Point(float L2, double HeldOutLoss, int Epochs);

/// <summary>
/// The outcome of an L2 path: the chosen weight, the parameters of that point (θ), the points, the number of folds
/// (1: one hold-out) and <paramref name="Epochs"/>, the most epochs one fold's run of the chosen point took.
/// </summary>
internal sealed record L2PathResult(float L2, float[] Parameters, IReadOnlyList<L2Point> Points, int Folds, TimeSpan Elapsed, int Epochs)
{
    /// <summary>Whether the path held out one part of the rows (not k folds): the chosen point's parameters were then trained on all but that part.</summary>
    public bool OneHoldOut => Folds == 1;

    /// <summary>How rows were held out, for the log and the summary.</summary>
    public string Method => OneHoldOut ? "one hold-out" : $"{Folds}-fold cross-validation";

    /// <summary>
    /// The epoch maximum of the final fit that starts from <see cref="Parameters"/> after a one-hold-out path: at
    /// most the chosen point's <see cref="Epochs"/> (and at most <paramref name="maxEpochs"/>). The held-out loss
    /// judged the point after that many epochs from its warm start; the final fit from those weights trains on all
    /// rows, and with weak L2 (text data) it would otherwise run on while the training loss creeps towards zero
    /// without moving the held-out loss (the issue labeler, 1,275 training rows and 3.3 million parameters, at the
    /// dense learning rate: 72 epochs to converge for test log-loss 1.1221, against 1.1234 after 30, the chosen
    /// point's epochs). After k folds (small data) the final fit runs to convergence.
    /// </summary>
    public int FinalFitMaxEpochs(int maxEpochs) => OneHoldOut ? Math.Min(maxEpochs, Math.Max(1, Epochs)) : maxEpochs;
}

/// <summary>
/// Chooses the L2 weight from the data: a warm-started path from strong to weak L2 on held-out packed training rows
/// (<see cref="SmallDataFolds"/> folds on small problems, one hold-out of <see cref="HeldOutFraction"/> otherwise,
/// drawn by the seed), each point trained on the rest until its training objective converges and then judged by its
/// held-out log-loss, the path stopping after <see cref="PathPatience"/> points without a better held-out loss
/// (<see cref="HoldOutPathPatience"/> on one hold-out).
/// Values are per unit of example weight: <c>L2 / total weight</c> runs over <see cref="PathStart"/>, then down by a
/// factor of <see cref="PathStep"/>, to <see cref="PathEnd"/>; the chosen value is rescaled to all training rows (the
/// penalty is per summed loss).
/// </summary>
internal static class L2Path
{
    public const double HeldOutFraction = 0.2;

    /// <summary>Folds of the path on small problems (see <see cref="TrainingPlan.IsSmall"/>).</summary>
    public const int SmallDataFolds = 5;
    public const double PathStart = 1e-2;
    public const double PathStep = 10;
    public const double PathEnd = 1e-8;
    public const int PathPatience = 1;

    /// <summary>
    /// Points without a better held-out loss after which a one-hold-out path stops: there every point costs up to
    /// <see cref="PointMaxEpochs"/> epochs over all parameters, and on the issue labeler (22 classes, 150,591 text
    /// features) the held-out loss rose at every point past the best (L2 per unit weight 1e-6, 1e-7, 1e-8: 0.9582,
    /// 0.9620, 0.9976), so the point after the first worse one only cost time.
    /// </summary>
    public const int HoldOutPathPatience = 0;
    public const int MinimumRows = 50;
    public const int PointMaxEpochs = 30;

    /// <summary>
    /// Epochs per path point on sparse mini-batch plans under <see cref="LargeDataRows"/> rows, which train at the
    /// sparse learning rate (<see cref="TrainingPlan.SparseLearningRate"/>, ten times the dense one). The issue labeler
    /// (1,275 training rows, 3.3 million parameters; <c>fit-one --dataset labeler --trainer adam</c>): cut at 15 epochs
    /// the path chose the same L2 as at 30 and the fit took 6.1 s against 9.6 s for test log-loss 1.0937 against
    /// 1.1016; cut at 10 or 12 epochs the path chose the next weaker L2 (undertrained points flatter weak values) and
    /// the final fit scored 1.22.
    /// </summary>
    public const int SparsePointMaxEpochs = 15;

    /// <summary>Training rows from which a path point is cut at <see cref="LargePointMaxEpochs"/> epochs.</summary>
    public const int LargeDataRows = 20_000;

    /// <summary>
    /// Epochs per path point on data of <see cref="LargeDataRows"/> rows or more: each point starts from the previous
    /// one, and on Fashion-MNIST the held-out losses of neighbouring values already separate after a few epochs.
    /// </summary>
    public const int LargePointMaxEpochs = 8;

    /// <summary>
    /// Training rows per model parameter from which no path is searched: with 20,000 x 50 logistic rows the path's
    /// held-out losses for L2 = 20, 2 and 0.2 were 0.3056, 0.3057 and 0.3058, within the noise of the hold-out.
    /// </summary>
    public const double RowsPerParameterWithoutSearch = 100;

    /// <summary>
    /// Training rows from which no path is searched. Fashion-MNIST (60,000 x 784, 10 classes) in the fit benchmark: with
    /// the path (it chose L2 = 6) the fit took 2.99 s for test log-loss 0.4314 and accuracy 0.8453; with L2 = 1 and no
    /// path 1.71 s for 0.4330 and 0.8475 (<c>dotnet run -c Release --project tests/MLNet.Adam.Benchmarks -- fit
    /// --datasets fashion-mnist --adam L2Regularization=1</c>).
    /// </summary>
    public const int RowsWithoutSearch = 50_000;

    /// <summary>Smallest relative tolerance of a path point's convergence test.</summary>
    public const double PointTolerance = 1e-3;

    /// <summary>Why no path is searched for these rows (null: search one).</summary>
    public static string? ReasonNotToSearch(PackedRows? packed, ModelShape shape) => packed switch
    {
        null => "the rows are streamed, so no L2 path is searched (the penalty matters little at this size)",
        { Count: >= RowsWithoutSearch } => $"{packed.Count} rows, enough that the path's gain is small next to its cost, so no L2 path is searched",
        _ when packed.Count >= RowsPerParameterWithoutSearch * (double)shape.ParameterCount =>
            $"{packed.Count} rows for {shape.ParameterCount} parameters, enough that the penalty barely moves the held-out loss, so no L2 path is searched",
        { Count: < MinimumRows } => $"fewer than {MinimumRows} training rows, too few to hold some out",
        _ => null,
    };

    /// <summary>
    /// Walks the path over <paramref name="packed"/> (class weights applied) from <paramref name="start"/> (θ);
    /// null when the hold-out draw leaves a part empty. <paramref name="objective"/> gives the loss, map and penalties
    /// other than L2; its L2 and total weight are replaced per point and fold.
    /// </summary>
    public static L2PathResult? Search(
        LinearObjective objective, DescentSettings settings, PackedRows packed, TrainingPlan plan, int? batchSize, bool shuffle, int seed, float[] start, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var shape = objective.Shape;

        // Small data: k folds (every row held out once), so the choice does not hinge on a few dozen held-out rows.
        // Larger data: one hold-out of HeldOutFraction.
        int folds = plan.FullBatch ? SmallDataFolds : 1;
        var random = new Random(EpochSeeds.For(seed, -1));
        var foldOf = new int[packed.Count];
        for (int r = 0; r < packed.Count; r++)
        {
            foldOf[r] = folds > 1 ? random.Next(folds) : (random.NextDouble() < HeldOutFraction ? 0 : -1);
        }

        var weights = packed.Weights;
        var parts = new List<Fold>();
        for (int k = 0; k < folds; k++)
        {
            var fit = new List<int>(packed.Count);
            var held = new List<int>();
            double fitWeight = 0;
            for (int r = 0; r < packed.Count; r++)
            {
                if (foldOf[r] == k)
                {
                    held.Add(r);
                }
                else
                {
                    fit.Add(r);
                    fitWeight += weights[r];
                }
            }

            if (held.Count == 0 || fit.Count == 0 || !(fitWeight > 0))
            {
                foreach (var part in parts)
                {
                    part.Source.Dispose();
                }

                return null;
            }

            int foldBatch = plan.FullBatch ? fit.Count : TrainingPlan.BatchSizeFor(batchSize, fit.Count, plan.StoredPerRow, shape);
            parts.Add(new Fold(
                new PackedBatchSource(packed, foldBatch, plan.Sparse, shuffle, seed, fit.ToArray()) { FullBatchSteps = plan.FullBatchSteps },
                new PackedEvaluator(packed, objective.Gradients, foldBatch, plan.Sparse, held.ToArray()),
                plan.FullBatch ? new PackedEvaluator(packed, objective.Gradients, foldBatch, plan.Sparse, fit.ToArray()) : null,
                plan.FullBatch ? TrainingPlan.StepsPerSmallEpoch : (fit.Count + foldBatch - 1) / foldBatch,
                fitWeight,
                (float[])start.Clone()));
        }

        var pointSettings = settings with
        {
            Tolerance = Math.Max(settings.Tolerance, PointTolerance),
            MaxEpochs = packed.Count >= LargeDataRows ? LargePointMaxEpochs : plan.SparseMiniBatches ? SparsePointMaxEpochs : PointMaxEpochs,
        };
        var points = new List<L2Point>();
        float[]? bestParameters = null;
        double bestLoss = double.PositiveInfinity, bestAlpha = double.NaN;
        int bestEpochs = 0;
        int sinceBest = 0, patience = folds > 1 ? PathPatience : HoldOutPathPatience;
        try
        {
            for (double alpha = PathStart; alpha >= PathEnd * 0.999; alpha /= PathStep)
            {
                double lossSum = 0, weightSum = 0;
                int epochs = 0, mostEpochs = 0;
                foreach (var part in parts)
                {
                    token.ThrowIfCancellationRequested();
                    var pointObjective = objective.With((float)(alpha * part.FitWeight), part.FitWeight);
                    var descent = new Descent(pointSettings, pointObjective) { TrainingRows = part.Exact };

                    // Each point trains to convergence on its training objective, as the final fit will, and is judged
                    // once on the held-out rows: early stopping on them would favour weak values the final fit then
                    // overfits with. Each fold walks the path warm-started from its previous point.
                    var outcome = descent.Run(part.Source, null, part.Parameters, null, part.StepsPerEpoch, 0, token);
                    part.Parameters = outcome.Parameters;
                    var summary = part.HeldOut.Evaluate(pointObjective.Raw(part.Parameters), token);
                    lossSum += summary.WeightedLoss;
                    weightSum += summary.TotalWeight;
                    epochs += outcome.Epochs;
                    mostEpochs = Math.Max(mostEpochs, outcome.Epochs);
                }

                double loss = lossSum / weightSum;
                points.Add(new L2Point((float)(alpha * objective.TotalWeight), loss, epochs));
                if (loss < bestLoss)
                {
                    bestLoss = loss;
                    bestAlpha = alpha;
                    bestEpochs = mostEpochs;
                    bestParameters = (float[])parts[0].Parameters.Clone();
                    sinceBest = 0;
                }
                else if (++sinceBest > patience)
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var part in parts)
            {
                part.Source.Dispose();
            }
        }

        if (bestParameters is null)
        {
            return null;
        }

        return new L2PathResult((float)(bestAlpha * objective.TotalWeight), bestParameters, points, folds, clock.Elapsed, bestEpochs);
    }

    private sealed class Fold(PackedBatchSource source, PackedEvaluator heldOut, PackedEvaluator? exact, long stepsPerEpoch, double fitWeight, float[] parameters)
    {
        public PackedBatchSource Source { get; } = source;

        public PackedEvaluator HeldOut { get; } = heldOut;

        public PackedEvaluator? Exact { get; } = exact;

        public long StepsPerEpoch { get; } = stepsPerEpoch;

        public double FitWeight { get; } = fitWeight;

        public float[] Parameters { get; set; } = parameters;
    }
}
