namespace MLNet.Adam.Compare.Evaluation;

/// <summary>Metrics and costs of one trainer on one train/test split.</summary>
/// <param name="Fold">0-based split index.</param>
/// <param name="Accuracy">Binary accuracy, or multiclass micro-accuracy.</param>
/// <param name="Auc">Binary area under the ROC curve; null for multiclass.</param>
/// <param name="MacroAccuracy">Multiclass macro-accuracy; null for binary.</param>
/// <param name="LogLoss">Test log-loss as ML.NET's evaluator reports it.</param>
/// <param name="TrainSeconds">Wall time of the trainer's Fit on featurized, cached data.</param>
/// <param name="AllocatedBytes">Managed bytes allocated by all threads during Fit (GC.GetTotalAllocatedBytes).</param>
/// <param name="PeakWorkingSetDeltaBytes">Highest process working set sampled during Fit minus the working set just before it.</param>
/// <param name="ModelBytes">Size of the trained model saved alone as an ML.NET zip.</param>
/// <param name="Epochs">Epochs run (Adam only).</param>
/// <param name="AucUndefined">Why <paramref name="Auc"/> could not be computed on this split (binary only), or null.</param>
internal sealed record FoldResult(
    int Fold, double Accuracy, double? Auc, double? MacroAccuracy, double LogLoss, double TrainSeconds,
    long AllocatedBytes, long PeakWorkingSetDeltaBytes, long ModelBytes, int? Epochs, string? AucUndefined = null);

/// <summary>A mean and a sample standard deviation over folds (0 for one fold; NaN for none, as for a failed trainer).</summary>
internal sealed record Summary(double Mean, double StdDev)
{
    public static Summary Of(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return new Summary(double.NaN, double.NaN);
        }

        double mean = list.Average();
        double variance = list.Count > 1 ? list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1) : 0;
        return new Summary(mean, Math.Sqrt(variance));
    }
}

/// <summary>One point of Adam's per-epoch curve: test log-loss after an epoch, against wall time since the Fit call started.</summary>
internal sealed record CurvePoint(int Epoch, double Seconds, double TestLogLoss);

/// <summary>The fit that drew Adam's per-epoch curve, timed like every leaderboard fit, next to the leaderboard's Adam fit.</summary>
/// <param name="Epochs">Epochs the curve fit ran (early stopping and best epoch driven by the test rows as validation data).</param>
/// <param name="FitSeconds">Wall time of the curve fit's Fit call, measured as for the leaderboard.</param>
/// <param name="TestLogLoss">Test log-loss of the model that fit returned (its best epoch).</param>
/// <param name="LeaderboardEpochs">Epochs of the leaderboard's Adam fit on the same split, or null if unknown.</param>
/// <param name="LeaderboardFitSeconds">Wall time of the leaderboard's Adam fit on the same split.</param>
internal sealed record CurveFit(int Epochs, double FitSeconds, double TestLogLoss, int? LeaderboardEpochs, double LeaderboardFitSeconds);

/// <summary>One trainer's results over all splits, in its chosen configuration.</summary>
internal sealed record TrainerResult(
    string Id, string Name, string Configuration, IReadOnlyList<FoldResult> Folds, IReadOnlyList<SweepTrial> SweepTrials)
{
    public Summary LogLoss => Summary.Of(Folds.Select(f => f.LogLoss));

    public Summary Accuracy => Summary.Of(Folds.Select(f => f.Accuracy));

    /// <summary>AUC over the splits where it is defined; null when it is defined on none (see <see cref="AucNote"/>) or for multiclass.</summary>
    public Summary? Auc => Folds.Any(f => f.Auc is not null) ? Summary.Of(Folds.Where(f => f.Auc is not null).Select(f => f.Auc!.Value)) : null;

    /// <summary>Splits on which AUC could be computed.</summary>
    public int AucFolds => Folds.Count(f => f.Auc is not null);

    /// <summary>Why AUC is missing on some or all splits, or null.</summary>
    public string? AucNote => Folds.FirstOrDefault(f => f.AucUndefined is not null)?.AucUndefined is { } reason
        ? $"AUC is not defined on {Folds.Count(f => f.AucUndefined is not null)} of {Folds.Count} test split(s): {reason}"
        : null;

    public Summary? MacroAccuracy => Folds.Count > 0 && Folds.All(f => f.MacroAccuracy is not null) ? Summary.Of(Folds.Select(f => f.MacroAccuracy!.Value)) : null;

    public Summary TrainSeconds => Summary.Of(Folds.Select(f => f.TrainSeconds));

    public double MeanAllocatedBytes => Folds.Count == 0 ? 0 : Folds.Average(f => (double)f.AllocatedBytes);

    public double MaxPeakWorkingSetDeltaBytes => Folds.Count == 0 ? 0 : Folds.Max(f => (double)f.PeakWorkingSetDeltaBytes);

    public long ModelBytes => Folds.Count == 0 ? 0 : Folds[0].ModelBytes;

    /// <summary>Set when the trainer failed: the leaderboard lists it last with this message.</summary>
    public string? Error { get; init; }
}

/// <summary>One configuration tried by the sweep, scored on the validation split.</summary>
internal sealed record SweepTrial(string Configuration, double ValidationLogLoss, double TrainSeconds);

/// <summary>Everything one run of the tool produced.</summary>
internal sealed record CompareReport(
    string Data, string Task, string Label, IReadOnlyList<string> Featurization, string Evaluation, int Seed,
    IReadOnlyList<TrainerResult> Leaderboard, IReadOnlyList<CurvePoint> AdamCurve, string? AdamCurveNote,
    string MemoryMeasure, string Machine, double TotalSeconds)
{
    /// <summary>Warnings about how the data was read, as printed at the start.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>How the training times were measured (the same for every trainer).</summary>
    public string TimeMeasure { get; init; } = string.Empty;

    /// <summary>The fit behind <see cref="AdamCurve"/>, or null without a curve.</summary>
    public CurveFit? AdamCurveFit { get; init; }

    /// <summary>Whether the evaluation has several test splits (cross-validation), so that spreads are meaningful.</summary>
    public bool HasFolds => Leaderboard.Any(r => r.Folds.Count > 1);

    /// <summary>True when no trainer produced a result.</summary>
    public bool AllFailed => Leaderboard.Count > 0 && Leaderboard.All(r => r.Error is not null);

    /// <summary>Ranking metric: mean test log-loss, lower is better; failed trainers last.</summary>
    public static IReadOnlyList<TrainerResult> Rank(IEnumerable<TrainerResult> results) =>
        [.. results.OrderBy(r => r.Error is null ? 0 : 1).ThenBy(r => r.Error is null ? r.LogLoss.Mean : 0)];
}
