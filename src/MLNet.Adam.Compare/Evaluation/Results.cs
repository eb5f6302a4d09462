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
internal sealed record FoldResult(
    int Fold, double Accuracy, double? Auc, double? MacroAccuracy, double LogLoss, double TrainSeconds,
    long AllocatedBytes, long PeakWorkingSetDeltaBytes, long ModelBytes, int? Epochs);

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

/// <summary>One point of Adam's per-epoch curve: test log-loss after an epoch, against time since Fit started.</summary>
internal sealed record CurvePoint(int Epoch, double Seconds, double TestLogLoss);

/// <summary>One trainer's results over all splits, in its chosen configuration.</summary>
internal sealed record TrainerResult(
    string Id, string Name, string Configuration, IReadOnlyList<FoldResult> Folds, IReadOnlyList<SweepTrial> SweepTrials)
{
    public Summary LogLoss => Summary.Of(Folds.Select(f => f.LogLoss));

    public Summary Accuracy => Summary.Of(Folds.Select(f => f.Accuracy));

    public Summary? Auc => Folds.Count > 0 && Folds.All(f => f.Auc is not null) ? Summary.Of(Folds.Select(f => f.Auc!.Value)) : null;

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
    /// <summary>Ranking metric: mean test log-loss, lower is better; failed trainers last.</summary>
    public static IReadOnlyList<TrainerResult> Rank(IEnumerable<TrainerResult> results) =>
        [.. results.OrderBy(r => r.Error is null ? 0 : 1).ThenBy(r => r.Error is null ? r.LogLoss.Mean : 0)];
}
