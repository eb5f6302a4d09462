namespace MLNet.Adam.Data;

/// <summary>How many rows one pass over the data read, used, held out and skipped (and why).</summary>
public sealed class RowCounts
{
    /// <summary>Rows the cursor produced.</summary>
    public long Read { get; internal set; }

    /// <summary>Rows that went into mini-batches.</summary>
    public long Used { get; internal set; }

    /// <summary>Rows set aside for validation by the hold-out fraction (not skipped: used for validation).</summary>
    public long HeldOut { get; internal set; }

    /// <summary>Rows skipped because the label was missing (key value 0).</summary>
    public long SkippedMissingLabel { get; internal set; }

    /// <summary>Rows skipped because a feature value was NaN or infinite.</summary>
    public long SkippedNonFiniteFeatures { get; internal set; }

    /// <summary>Rows skipped because the example weight was negative, NaN or infinite.</summary>
    public long SkippedInvalidWeight { get; internal set; }

    /// <summary>All skipped rows.</summary>
    public long Skipped => SkippedMissingLabel + SkippedNonFiniteFeatures + SkippedInvalidWeight;

    /// <summary>A one-line description, for logs and error messages.</summary>
    public override string ToString() =>
        $"read {Read}, used {Used}, held out {HeldOut}, skipped {Skipped} (missing label {SkippedMissingLabel}, " +
        $"non-finite features {SkippedNonFiniteFeatures}, invalid weight {SkippedInvalidWeight})";
}
