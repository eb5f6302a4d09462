namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>What one child process measured (serialized as one JSON line), plus the round the parent ran it in.</summary>
internal sealed class FitRun
{
    public string Dataset { get; set; } = string.Empty;

    public string Trainer { get; set; } = string.Empty;

    public string TrainerName { get; set; } = string.Empty;

    public int Round { get; set; }

    /// <summary>Wall-clock seconds of <c>trainer.Fit</c> alone (JIT of the trainer included).</summary>
    public double FitSeconds { get; set; }

    /// <summary>ML.NET's test log-loss: base 2 for binary (<c>BinaryClassificationMetrics.LogLoss</c>), nats for multiclass.</summary>
    public double TestLogLoss { get; set; }

    /// <summary>Test accuracy (micro accuracy for multiclass).</summary>
    public double Accuracy { get; set; }

    public double? MacroAccuracy { get; set; }

    public double? Auc { get; set; }

    public long TrainingRows { get; set; }

    public int FeatureCount { get; set; }

    public long WorkingSetBeforeFitBytes { get; set; }

    /// <summary>Highest resident set size during Fit (see <see cref="PeakScope"/>).</summary>
    public long PeakWorkingSetBytes { get; set; }

    /// <summary>"fit" when the kernel's high-water mark was reset just before Fit; "process" when it covers the whole process.</summary>
    public string PeakScope { get; set; } = string.Empty;

    public double PrepareSeconds { get; set; }

    public int? Epochs { get; set; }

    public string? StopReason { get; set; }

    /// <summary>Our trainer's <c>TrainingSummary</c>: every public property of a simple type, as text.</summary>
    public Dictionary<string, string>? Summary { get; set; }

    public List<string> AdamSettings { get; set; } = [];

    public string? Error { get; set; }
}
