using MLNet.Adam.Data;

namespace MLNet.Adam.Training;

/// <summary>What a <c>Fit</c> did: the per-epoch history (for loss curves), why it stopped, rows used and skipped, and the kernels used.</summary>
public sealed class TrainingSummary
{
    internal TrainingSummary(
        IReadOnlyList<EpochRecord> history, int epochs, int bestEpoch, string stopReason, RowCounts trainingRows, RowCounts? validationRows,
        string kernels, int threads, bool sparse, int featureCount, int classCount, TimeSpan elapsed)
    {
        History = history;
        Epochs = epochs;
        BestEpoch = bestEpoch;
        StopReason = stopReason;
        TrainingRows = trainingRows;
        ValidationRows = validationRows;
        Kernels = kernels;
        Threads = threads;
        IsSparse = sparse;
        FeatureCount = featureCount;
        ClassCount = classCount;
        Elapsed = elapsed;
    }

    /// <summary>One record per finished epoch, in order (including epochs of resumed runs).</summary>
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>Epochs completed.</summary>
    public int Epochs { get; }

    /// <summary>The epoch whose weights the model holds (the best validation epoch when validating, else the last).</summary>
    public int BestEpoch { get; }

    /// <summary>Why training stopped.</summary>
    public string StopReason { get; }

    /// <summary>
    /// Rows of one training epoch: used, held out and skipped by reason (from the first pass; when that pass read only
    /// a prefix of streamed rows, see <see cref="Packing"/>, from the last training pass, which may have stopped early).
    /// </summary>
    public RowCounts TrainingRows { get; }

    /// <summary>Rows of the last validation pass, when there was validation.</summary>
    public RowCounts? ValidationRows { get; }

    /// <summary>The backend and kernels used (resolved once per <c>Fit</c>).</summary>
    public string Kernels { get; }

    /// <summary>Threads that shared each mini-batch's gradient.</summary>
    public int Threads { get; }

    /// <summary>Whether mini-batches were stored sparse.</summary>
    public bool IsSparse { get; }

    /// <summary>Number of features.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes (2 for binary).</summary>
    public int ClassCount { get; }

    /// <summary>Total time of <c>Fit</c>.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Whether the training rows were packed in memory after the first pass (else every epoch streamed them).</summary>
    public bool IsPacked { get; internal init; }

    /// <summary>How the training rows were held, and why (the memory needed and the budget).</summary>
    public string Packing { get; internal init; } = string.Empty;

    /// <summary>The L2 weight the model was trained with (given, or chosen from the data).</summary>
    public float L2Regularization { get; internal init; }

    /// <summary>The L2 path searched when <c>L2Regularization</c> was not set (empty when it was given or not searched).</summary>
    public IReadOnlyList<L2PathPoint> L2Path { get; internal init; } = [];

    /// <summary>The initial learning rate of the final fit (given, or chosen from the data: see <c>LearningRate</c> of the options).</summary>
    public float LearningRate { get; internal init; }

    /// <summary>Time spent on the L2 path.</summary>
    public TimeSpan L2SearchTime { get; internal init; }
}
