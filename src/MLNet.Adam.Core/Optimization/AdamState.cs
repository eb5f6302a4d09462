namespace MLNet.Adam.Optimization;

/// <summary>
/// The mutable part of Adam: the number of updates applied (<c>t</c>) and the moment vectors m, v (and AMSGrad's
/// running maximum of v). Saves and restores bit-exactly, so training can stop and resume with identical results.
/// </summary>
/// <remarks>
/// The file format (little-endian) is documented on <see cref="Save"/>. Only <see cref="AdamOptimizer"/> changes a
/// state (and <see cref="Reset"/>); to keep one, <see cref="Clone"/> or <see cref="Save"/> it.
/// </remarks>
public sealed class AdamState
{
    private long _step;

    /// <summary>Creates a zero state for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">Number of parameters; non-negative.</param>
    /// <param name="amsgrad">Whether to allocate AMSGrad's running maximum of the second moment.</param>
    public AdamState(int parameterCount, bool amsgrad)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        Amsgrad = amsgrad;
        FirstMoment = new float[parameterCount];
        SecondMoment = new float[parameterCount];
        MaxSecondMoment = amsgrad ? new float[parameterCount] : [];
    }

    private AdamState(long step, bool amsgrad, float[] firstMoment, float[] secondMoment, float[] maxSecondMoment)
    {
        _step = step;
        Amsgrad = amsgrad;
        FirstMoment = firstMoment;
        SecondMoment = secondMoment;
        MaxSecondMoment = maxSecondMoment;
    }

    /// <summary>Number of parameters the state covers.</summary>
    public int ParameterCount => FirstMoment.Length;

    /// <summary>Whether the state holds AMSGrad's running maximum of the second moment.</summary>
    public bool Amsgrad { get; }

    /// <summary>Number of updates applied so far (the <c>t</c> of the bias correction after the last update); non-negative.</summary>
    public long Step => _step;

    /// <summary>First moment estimate m (written by the update kernels).</summary>
    internal float[] FirstMoment { get; }

    /// <summary>Second moment estimate v.</summary>
    internal float[] SecondMoment { get; }

    /// <summary>AMSGrad running maximum of v (empty when AMSGrad is off).</summary>
    internal float[] MaxSecondMoment { get; }

    /// <summary>Records that update number <paramref name="step"/> has been applied.</summary>
    internal void Advance(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        _step = step;
    }

    /// <summary>A deep copy: later updates to either state do not affect the other.</summary>
    public AdamState Clone() => new(
        _step, Amsgrad, (float[])FirstMoment.Clone(), (float[])SecondMoment.Clone(), (float[])MaxSecondMoment.Clone());

    /// <summary>Returns the state to step 0 with zero moments, as freshly constructed.</summary>
    public void Reset()
    {
        _step = 0;
        Array.Clear(FirstMoment);
        Array.Clear(SecondMoment);
        Array.Clear(MaxSecondMoment);
    }

    /// <summary>
    /// Writes the state to <paramref name="stream"/> at its current position. Format, little-endian:
    /// the 8 ASCII bytes <c>ADAMSTAT</c>; int32 format version (2); int64 step; int32 parameter count n; int32 flags
    /// (bit 0: AMSGrad); float32[n] first moment; float32[n] second moment; float32[n] maximum second moment (only with
    /// AMSGrad); the 32-byte SHA-256 of all preceding bytes of the record (see <see cref="Load"/>).
    /// </summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        AdamStateFormat.Write(stream, _step, Amsgrad, FirstMoment, SecondMoment, MaxSecondMoment);
    }

    /// <summary>
    /// Reads a state written by <see cref="Save"/>, consuming exactly its bytes. The magic, version, counts, flags and
    /// checksum are verified before anything is returned: a damaged or truncated record (any changed byte, anywhere)
    /// throws <see cref="InvalidDataException"/>, and a damaged count never leads to a large allocation.
    /// </summary>
    /// <param name="stream">A readable stream positioned at the start of a saved state; it is not closed.</param>
    /// <exception cref="InvalidDataException">The data is not a state, is truncated, is corrupted, or is from a newer format version.</exception>
    public static AdamState Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (step, amsgrad, m, v, maxV) = AdamStateFormat.Read(stream);
        return new AdamState(step, amsgrad, m, v, maxV);
    }
}
