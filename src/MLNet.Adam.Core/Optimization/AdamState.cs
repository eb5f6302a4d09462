namespace MLNet.Adam.Optimization;

// CONTRACT STUB (to be completed by the optimizer work).

/// <summary>Mutable Adam state: step count and moment vectors. Saves and restores bit-exactly.</summary>
public sealed class AdamState
{
    /// <summary>Creates a zero state for <paramref name="parameterCount"/> parameters.</summary>
    public AdamState(int parameterCount, bool amsgrad) => throw new NotImplementedException();

    /// <summary>Number of updates applied so far.</summary>
    public long Step { get; set; }

    /// <summary>First moment estimate m.</summary>
    public float[] FirstMoment { get; } = [];

    /// <summary>Second moment estimate v.</summary>
    public float[] SecondMoment { get; } = [];

    /// <summary>AMSGrad running maximum of v (empty when AMSGrad is off).</summary>
    public float[] MaxSecondMoment { get; } = [];

    /// <summary>Writes the state to <paramref name="stream"/>.</summary>
    public void Save(Stream stream) => throw new NotImplementedException();

    /// <summary>Reads a state written by <see cref="Save"/>.</summary>
    public static AdamState Load(Stream stream) => throw new NotImplementedException();
}
