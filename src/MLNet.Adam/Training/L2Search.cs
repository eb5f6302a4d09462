using System.Diagnostics;
using MLNet.Adam.Kernels;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Training;

/// <summary>One point of the L2 path: the value tried, the held-out log-loss it reached and the epochs it took (summed over folds).</summary>
/// <param name="L2Regularization">The L2 weight on the summed loss of all training rows (the value the final fit would use).</param>
/// <param name="HeldOutLoss">Mean log-loss on the held-out rows at the best epoch of that point.</param>
/// <param name="Epochs">Epochs trained at that point, summed over the folds (each warm-started from its previous point).</param>
public sealed record L2PathPoint(float L2Regularization, double HeldOutLoss, int Epochs);

/// <summary>The L2 weight a Fit uses, how it was chosen and the parameters the final fit starts from.</summary>
internal sealed record L2Choice(float L2, float[]? Parameters, IReadOnlyList<L2PathPoint> Path, TimeSpan Elapsed);

/// <summary>
/// Chooses the L2 weight from the data when the user set none: a warm-started path from strong to weak L2 on
/// <see cref="HeldOutFraction"/> of the packed training rows (drawn by the seed), each point trained on the rest until
/// its training objective converges and then judged by its held-out log-loss, the path stopping after <see cref="PathPatience"/> points without a better
/// held-out loss. The chosen value is rescaled to all training rows (the penalty is per summed loss) and the final fit
/// starts from that point's parameters (or from the warm-start model when one is given). Values are per unit of example weight: <c>L2 / total weight</c> runs over
/// <see cref="PathStart"/>, then down by a factor of <see cref="PathStep"/>, to <see cref="PathEnd"/>.
/// </summary>
internal static class L2Search
{
    public const double HeldOutFraction = 0.2;

    /// <summary>Folds of the path on small problems (see <see cref="TrainingEngine.IsSmall"/>).</summary>
    public const int SmallDataFolds = 5;
    public const double PathStart = 1e-2;
    public const double PathStep = 10;
    public const double PathEnd = 1e-8;
    public const int PathPatience = 1;
    public const int MinimumRows = 50;
    public const int PointMaxEpochs = 30;

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
    public const double PointTolerance = 1e-3;

    public static L2Choice Resolve(
        TrainingSettings settings, TrainingCheckpoint? checkpoint, DataScan scan, double totalWeight, ModelShape shape, Standardization standardization,
        ShardedGradient gradients, KernelChoice plan, bool sparse, double storedPerRow, float[] parameters, bool warmStart, CancellationToken token, Action<string> info)
    {
        if (settings.L2Regularization is { } given)
        {
            return new L2Choice(given, null, [], TimeSpan.Zero);
        }

        if (checkpoint is not null)
        {
            info($"L2 {checkpoint.L2Regularization:G4}: the value of the checkpoint's run.");
            return new L2Choice(checkpoint.L2Regularization, null, [], TimeSpan.Zero);
        }

        float fallback = AdamTrainerDefaults.L2Regularization;
        if (scan.Packed is not { } packed)
        {
            info($"L2 {fallback:G4}: the rows are streamed, so no L2 path is searched (the penalty matters little at this size).");
            return new L2Choice(fallback, null, [], TimeSpan.Zero);
        }

        if (packed.Count >= RowsWithoutSearch)
        {
            info($"L2 {fallback:G4}: {packed.Count} rows, enough that the path's gain is small next to its cost, so no L2 path is searched.");
            return new L2Choice(fallback, null, [], TimeSpan.Zero);
        }

        if (packed.Count >= RowsPerParameterWithoutSearch * (double)shape.ParameterCount)
        {
            info($"L2 {fallback:G4}: {packed.Count} rows for {shape.ParameterCount} parameters, enough that the penalty barely moves the held-out loss, so no L2 path is searched.");
            return new L2Choice(fallback, null, [], TimeSpan.Zero);
        }

        if (packed.Count < MinimumRows)
        {
            info($"L2 {fallback:G4}: fewer than {MinimumRows} training rows, too few to hold some out.");
            return new L2Choice(fallback, null, [], TimeSpan.Zero);
        }

        var clock = Stopwatch.StartNew();

        // Small data: k folds (every row held out once), so the choice does not hinge on a few dozen held-out rows.
        // Larger data: one hold-out of HeldOutFraction.
        bool fullBatch = settings.BatchSize is null && TrainingEngine.IsSmall(packed, shape);
        int folds = fullBatch ? SmallDataFolds : 1;
        var random = new Random(EpochSeeds.For(settings.Seed, -1));
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
                info($"L2 {fallback:G4}: the hold-out draw left a part empty.");
                return new L2Choice(fallback, null, [], TimeSpan.Zero);
            }

            int foldBatch = fullBatch ? fit.Count : TrainingEngine.AutomaticBatchSize(settings, fit.Count, storedPerRow, shape);
            parts.Add(new Fold(
                new PackedBatchSource(packed, foldBatch, sparse, settings.Shuffle, settings.Seed, fit.ToArray()) { FullBatchSteps = fullBatch ? TrainingEngine.FullBatchStepsPerEpoch : 1 },
                new Validator(packed, null, gradients, Math.Max(foldBatch, 1024), sparse, held.ToArray()),
                fullBatch ? new Validator(packed, null, gradients, Math.Max(foldBatch, 1024), sparse, fit.ToArray()) : null,
                fullBatch ? TrainingEngine.FullBatchStepsPerEpoch : (fit.Count + foldBatch - 1) / foldBatch,
                fitWeight,
                (float[])parameters.Clone()));
        }

        var path = new List<L2PathPoint>();
        var raw = new float[shape.ParameterCount];
        float[]? bestParameters = null;
        double bestLoss = double.PositiveInfinity, bestAlpha = double.NaN;
        int sinceBest = 0;
        try
        {
            for (double alpha = PathStart; alpha >= PathEnd * 0.999; alpha /= PathStep)
            {
                double lossSum = 0, weightSum = 0;
                int epochs = 0;
                foreach (var part in parts)
                {
                    token.ThrowIfCancellationRequested();
                    var descent = new Descent(settings, shape, standardization, gradients, plan, (float)(alpha * part.FitWeight), part.FitWeight, packed.Count >= LargeDataRows ? LargePointMaxEpochs : PointMaxEpochs, clock, info)
                    {
                        Tolerance = Math.Max(settings.ConvergenceTolerance, PointTolerance),
                        Quiet = true,
                        TrainingRows = part.Exact,
                    };

                    // Each point trains to convergence on its training objective, as the final fit will, and is judged
                    // once on the held-out rows: early stopping on them would favour weak values the final fit then
                    // overfits with. Each fold walks the path warm-started from its previous point.
                    var outcome = descent.Run(part.Source, null, part.Parameters, null, part.StepsPerEpoch, 0, token);
                    part.Parameters = outcome.Parameters;
                    standardization.ToRaw(part.Parameters, raw);
                    var summary = part.HeldOut.Evaluate(raw, token);
                    lossSum += summary.WeightedLoss;
                    weightSum += summary.TotalWeight;
                    epochs += outcome.Epochs;
                }

                double loss = lossSum / weightSum;
                path.Add(new L2PathPoint((float)(alpha * totalWeight), loss, epochs));
                if (loss < bestLoss)
                {
                    bestLoss = loss;
                    bestAlpha = alpha;
                    bestParameters = (float[])parts[0].Parameters.Clone();
                    sinceBest = 0;
                }
                else if (++sinceBest > PathPatience)
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

        float chosen = double.IsNaN(bestAlpha) ? fallback : (float)(bestAlpha * totalWeight);
        string steps = string.Join(", ", path.Select(p => $"{p.L2Regularization:G3}: {p.HeldOutLoss:F4} ({p.Epochs} epochs)"));
        info($"L2 {chosen:G4} chosen ({(folds > 1 ? $"{folds}-fold cross-validation" : "one hold-out")}) in {clock.Elapsed.TotalSeconds:F2}s; path (L2: held-out log-loss): {steps}.");
        
        // A warm start is the user's starting point: the final fit starts from it, with the chosen L2.
        return new L2Choice(chosen, warmStart ? null : bestParameters, path, clock.Elapsed);
    }

    private sealed class Fold(PackedBatchSource source, Validator heldOut, Validator? exact, long stepsPerEpoch, double fitWeight, float[] parameters)
    {
        public PackedBatchSource Source { get; } = source;

        public Validator HeldOut { get; } = heldOut;

        public Validator? Exact { get; } = exact;

        public long StepsPerEpoch { get; } = stepsPerEpoch;

        public double FitWeight { get; } = fitWeight;

        public float[] Parameters { get; set; } = parameters;
    }
}
