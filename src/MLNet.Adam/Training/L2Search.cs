using System.Diagnostics;
using MLNet.Adam.Kernels;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Training;

/// <summary>One point of the L2 path: the value tried, the held-out log-loss it reached and the epochs it took.</summary>
/// <param name="L2Regularization">The L2 weight on the summed loss of all training rows (the value the final fit would use).</param>
/// <param name="HeldOutLoss">Mean log-loss on the held-out rows at the best epoch of that point.</param>
/// <param name="Epochs">Epochs trained at that point (warm-started from the previous point).</param>
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
    public const double PathStart = 1e-1;
    public const double PathStep = 10;
    public const double PathEnd = 1e-6;
    public const int PathPatience = 1;
    public const int MinimumRows = 50;
    public const int PointMaxEpochs = 30;

    /// <summary>
    /// Training rows per model parameter from which no path is searched: with 20,000 x 50 logistic rows the path's
    /// held-out losses for L2 = 20, 2 and 0.2 were 0.3056, 0.3057 and 0.3058, within the noise of the hold-out.
    /// </summary>
    public const double RowsPerParameterWithoutSearch = 100;
    public const double PointTolerance = 1e-3;

    public static L2Choice Resolve(
        TrainingSettings settings, TrainingCheckpoint? checkpoint, DataScan scan, double totalWeight, ModelShape shape, Standardization standardization,
        ShardedGradient gradients, KernelChoice plan, bool sparse, int batchSize, float[] parameters, bool warmStart, CancellationToken token, Action<string> info)
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
        var random = new Random(EpochSeeds.For(settings.Seed, -1));
        var fit = new List<int>(packed.Count);
        var held = new List<int>((int)(packed.Count * HeldOutFraction) + 1);
        for (int r = 0; r < packed.Count; r++)
        {
            (random.NextDouble() < HeldOutFraction ? held : fit).Add(r);
        }

        if (held.Count == 0 || fit.Count == 0)
        {
            info($"L2 {fallback:G4}: the hold-out draw left one part empty.");
            return new L2Choice(fallback, null, [], TimeSpan.Zero);
        }

        double fitWeight = 0;
        var weights = packed.Weights;
        foreach (int r in fit)
        {
            fitWeight += weights[r];
        }

        if (!(fitWeight > 0))
        {
            return new L2Choice(fallback, null, [], TimeSpan.Zero);
        }

        using var source = new PackedBatchSource(packed, settings.BatchSizeFor(fit.Count), sparse, settings.Shuffle, settings.Seed, fit.ToArray());
        var validator = new Validator(packed, null, gradients, Math.Max(batchSize, 1024), sparse, held.ToArray());
        var path = new List<L2PathPoint>();
        var raw = new float[shape.ParameterCount];
        var current = (float[])parameters.Clone();
        float[]? bestParameters = null;
        double bestLoss = double.PositiveInfinity, bestAlpha = double.NaN;
        int sinceBest = 0;
        for (double alpha = PathStart; alpha >= PathEnd * 0.999; alpha /= PathStep)
        {
            token.ThrowIfCancellationRequested();
            var descent = new Descent(settings, shape, standardization, gradients, plan, (float)(alpha * fitWeight), fitWeight, PointMaxEpochs, clock, info)
            {
                Tolerance = Math.Max(settings.ConvergenceTolerance, PointTolerance),
                Quiet = true,
            };
            // Each point trains to convergence on its training objective, as the final fit will, and is judged once on
            // the held-out rows: early stopping on them would favour weak values the final fit then overfits with.
            var outcome = descent.Run(source, null, current, null, fit.Count, 0, token);
            current = outcome.Parameters;
            standardization.ToRaw(current, raw);
            var summary = validator.Evaluate(raw, token);
            double loss = summary.WeightedLoss / summary.TotalWeight;
            path.Add(new L2PathPoint((float)(alpha * totalWeight), loss, outcome.Epochs));
            if (loss < bestLoss)
            {
                bestLoss = loss;
                bestAlpha = alpha;
                bestParameters = (float[])current.Clone();
                sinceBest = 0;
            }
            else if (++sinceBest > PathPatience)
            {
                break;
            }
        }

        float chosen = double.IsNaN(bestAlpha) ? fallback : (float)(bestAlpha * totalWeight);
        string steps = string.Join(", ", path.Select(p => $"{p.L2Regularization:G3}: {p.HeldOutLoss:F4} ({p.Epochs} epochs)"));
        info($"L2 {chosen:G4} chosen on {held.Count} held-out rows in {clock.Elapsed.TotalSeconds:F2}s; path (L2: held-out log-loss): {steps}.");
        
        // A warm start is the user's starting point: the final fit starts from it, with the chosen L2.
        return new L2Choice(chosen, warmStart ? null : bestParameters, path, clock.Elapsed);
    }
}
