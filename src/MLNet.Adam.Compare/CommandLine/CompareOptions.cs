namespace MLNet.Adam.Compare.CommandLine;

/// <summary>The kind of classification problem.</summary>
internal enum TaskKind
{
    Binary,
    Multiclass,
}

/// <summary>Datasets the tool can produce without a file.</summary>
internal enum BuiltInDataset
{
    SyntheticBinary,
    SyntheticMulticlass,
    FashionMnist,
}

/// <summary>How models are evaluated.</summary>
internal enum EvaluationMode
{
    Holdout,
    CrossValidation,
    TestFile,

    /// <summary>A dataset's own test split (Fashion-MNIST's 10,000 test images).</summary>
    BuiltInTestSplit,
}

/// <summary>Everything the command line decides, validated; the rest of the tool reads only this.</summary>
internal sealed record CompareOptions
{
    public const int DefaultRows = 20_000;
    public const int DefaultFeatures = 50;
    public const int DefaultClasses = 5;
    public const double DefaultHoldout = 0.2;
    public const double DefaultTimeBudgetSeconds = 60;
    public const string DefaultOutputDirectory = "compare-output";
    public const string DefaultLabelColumn = "Label";

    public string? DataFile { get; init; }

    public string LabelColumn { get; init; } = DefaultLabelColumn;

    /// <summary>Whether the text file's first row (after comment lines) is a header; null when --has-header was not given (then true, checked).</summary>
    public bool? HasHeader { get; init; }

    /// <summary>The text file's separator; null to detect it from the first row.</summary>
    public char? Separator { get; init; }

    /// <summary>The text file's decimal marker ('.' or ','); null when --decimal-marker was not given (then '.').</summary>
    public char? DecimalMarker { get; init; }

    /// <summary>Columns of --data never used as features (--ignore-cols), by name or zero-based position.</summary>
    public IReadOnlyList<string> IgnoreColumns { get; init; } = [];

    /// <summary>The label value that is the positive class of a binary task (--positive-class); null to choose it.</summary>
    public string? PositiveClass { get; init; }

    public TaskKind? Task { get; init; }

    public string? TestFile { get; init; }

    /// <summary>The built-in dataset; null when <see cref="DataFile"/> is given.</summary>
    public BuiltInDataset? Dataset { get; init; }

    /// <summary>Rows of a synthetic dataset, or a cap on Fashion-MNIST training rows when set explicitly.</summary>
    public int Rows { get; init; } = DefaultRows;

    public bool RowsGiven { get; init; }

    public int Features { get; init; } = DefaultFeatures;

    public int Classes { get; init; } = DefaultClasses;

    /// <summary>Trainer ids asked for; empty means every trainer that supports the task.</summary>
    public IReadOnlyList<string> Trainers { get; init; } = [];

    public EvaluationMode Evaluation { get; init; } = EvaluationMode.Holdout;

    public int Folds { get; init; } = 5;

    public double HoldoutFraction { get; init; } = DefaultHoldout;

    public bool Sweep { get; init; }

    public double TimeBudgetSeconds { get; init; } = DefaultTimeBudgetSeconds;

    public string OutputDirectory { get; init; } = DefaultOutputDirectory;

    public int Seed { get; init; } = 1;

    /// <summary>Threads per trainer (NumberOfThreads of every trainer); null keeps each trainer's default.</summary>
    public int? Threads { get; init; }

    /// <summary>Skip the PNG plot (for machines without a working native graphics library).</summary>
    public bool NoPlot { get; init; }

    /// <summary>
    /// Featurized rows are not cached in memory: trainers stream them from the source (with an .idv file, from disk)
    /// on every pass, so data larger than memory can be compared; the stock trainers may still cache internally.
    /// </summary>
    public bool NoCache { get; init; }

    /// <summary>When set, the tool writes the synthetic dataset to this binary .idv file and exits without training.</summary>
    public string? SaveDataFile { get; init; }

    /// <summary>A one-line description of the evaluation, for reports.</summary>
    public string DescribeEvaluation() => Evaluation switch
    {
        EvaluationMode.Holdout => $"hold-out {HoldoutFraction:P0} of the rows (seed {Seed})",
        EvaluationMode.CrossValidation => $"{Folds}-fold cross-validation (seed {Seed})",
        EvaluationMode.TestFile => $"train on all rows, test on {TestFile}",
        _ => "the dataset's own test split",
    } + (NoCache ? "; rows streamed from the source on every pass (--no-cache)" : string.Empty);
}
