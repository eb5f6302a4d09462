using System.Buffers.Binary;

namespace MLNet.Adam.Optimization;

/// <summary>
/// Multiplies the learning rate by <see cref="Factor"/> when the metric reported once per epoch
/// (<see cref="ReportMetric"/>, lower is better) has stopped improving.
/// </summary>
/// <remarks>
/// <para>A metric improves when it is below <c>best - MinDelta * |best|</c>: <see cref="MinDelta"/> is
/// <b>relative</b> to the best value so far (0.01 means "at least 1% better"), so one setting serves losses of any
/// scale. The first report that is not NaN sets the best; NaN never improves.</para>
/// <para>Each report that does not improve counts as a bad epoch; when the count exceeds <see cref="Patience"/>
/// (that is, on the <c>Patience + 1</c>-th consecutive bad epoch) the rate becomes
/// <c>max(rate * Factor, MinLearningRate)</c> and the count restarts. For the <see cref="Cooldown"/> reports after a
/// reduction, bad epochs are not counted, giving the new rate time to act. <see cref="ReductionCount"/> counts
/// reductions that actually lowered the rate.</para>
/// <para>The step passed to <see cref="GetLearningRate"/> is ignored: the rate only changes on reports.</para>
/// </remarks>
public sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
    private const uint Magic = 0x31534C50; // "PLS1" read as a little-endian uint32.
    private const int StateBytes = 4 + 4 + 8 + 1 + 4 + 4 + 4;

    private float _current;
    private double _best;
    private bool _hasBest;
    private int _badEpochs;
    private int _cooldownRemaining;
    private int _reductionCount;

    /// <summary>Creates a reduce-on-plateau schedule.</summary>
    /// <param name="learningRate">The initial learning rate; positive and finite.</param>
    /// <param name="factor">The multiplier applied on a plateau; in (0, 1).</param>
    /// <param name="patience">Number of bad epochs tolerated before reducing; non-negative.</param>
    /// <param name="minDelta">The relative improvement that counts (see remarks); non-negative.</param>
    /// <param name="minLearningRate">The rate is never reduced below this; in [0, <paramref name="learningRate"/>].</param>
    /// <param name="cooldown">Number of reports after a reduction during which bad epochs are not counted; non-negative.</param>
    public ReduceOnPlateauSchedule(
        float learningRate, float factor = 0.1f, int patience = 10, double minDelta = 1e-4, float minLearningRate = 0f, int cooldown = 0)
    {
        ScheduleArguments.Positive(nameof(learningRate), learningRate);
        if (!(factor > 0f && factor < 1f))
        {
            throw ScheduleArguments.OutOfRange(nameof(factor), factor, "must be in (0, 1)");
        }

        ScheduleArguments.NonNegative(nameof(patience), patience);
        ScheduleArguments.NonNegative(nameof(minDelta), minDelta);
        ScheduleArguments.AtMost(nameof(minLearningRate), minLearningRate, nameof(learningRate), learningRate);
        ScheduleArguments.NonNegative(nameof(cooldown), cooldown);
        InitialLearningRate = learningRate;
        Factor = factor;
        Patience = patience;
        MinDelta = minDelta;
        MinLearningRate = minLearningRate;
        Cooldown = cooldown;
        _current = learningRate;
    }

    /// <summary>The learning rate before any reduction.</summary>
    public float InitialLearningRate { get; }

    /// <summary>The multiplier applied on a plateau.</summary>
    public float Factor { get; }

    /// <summary>Number of bad epochs tolerated before reducing.</summary>
    public int Patience { get; }

    /// <summary>The relative improvement that counts.</summary>
    public double MinDelta { get; }

    /// <summary>The lower bound of the rate.</summary>
    public float MinLearningRate { get; }

    /// <summary>Number of reports after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The current learning rate.</summary>
    public float CurrentLearningRate => _current;

    /// <summary>Number of reductions that lowered the rate so far.</summary>
    public int ReductionCount => _reductionCount;

    /// <summary>The best metric reported so far, or NaN before the first report that is not NaN.</summary>
    public double BestMetric => _hasBest ? _best : double.NaN;

    /// <summary>Current number of consecutive bad epochs counted towards <see cref="Patience"/>.</summary>
    public int BadEpochs => _badEpochs;

    /// <inheritdoc />
    public override bool IsAtFloor => _current <= MinLearningRate;

    /// <inheritdoc />
    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        return _current;
    }

    /// <inheritdoc />
    public override void ReportMetric(double metric)
    {
        if (IsImprovement(metric))
        {
            _best = metric;
            _hasBest = true;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }

        if (_cooldownRemaining > 0)
        {
            _cooldownRemaining--;
            _badEpochs = 0;
        }

        if (_badEpochs > Patience)
        {
            float reduced = MathF.Max(_current * Factor, MinLearningRate);
            if (reduced < _current)
            {
                _current = reduced;
                _reductionCount++;
            }

            _cooldownRemaining = Cooldown;
            _badEpochs = 0;
        }
    }

    /// <summary>
    /// Writes the mutable state, little-endian: uint32 magic "PLS1", float32 current rate, float64 best metric,
    /// byte has-best, int32 bad epochs, int32 cooldown remaining, int32 reduction count.
    /// </summary>
    /// <inheritdoc />
    public override void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> buffer = stackalloc byte[StateBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Magic);
        BinaryPrimitives.WriteSingleLittleEndian(buffer[4..], _current);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer[8..], _best);
        buffer[16] = _hasBest ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(buffer[17..], _badEpochs);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[21..], _cooldownRemaining);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[25..], _reductionCount);
        stream.Write(buffer);
    }

    /// <inheritdoc />
    public override void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> buffer = stackalloc byte[StateBytes];
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Truncated plateau schedule state.", e);
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(buffer) != Magic)
        {
            throw new InvalidDataException("Not a plateau schedule state: the magic 'PLS1' is missing.");
        }

        float current = BinaryPrimitives.ReadSingleLittleEndian(buffer[4..]);
        double best = BinaryPrimitives.ReadDoubleLittleEndian(buffer[8..]);
        byte hasBest = buffer[16];
        int badEpochs = BinaryPrimitives.ReadInt32LittleEndian(buffer[17..]);
        int cooldownRemaining = BinaryPrimitives.ReadInt32LittleEndian(buffer[21..]);
        int reductionCount = BinaryPrimitives.ReadInt32LittleEndian(buffer[25..]);
        if (!(current >= MinLearningRate && current <= InitialLearningRate) || hasBest > 1 || badEpochs < 0 || badEpochs > Patience
            || cooldownRemaining < 0 || cooldownRemaining > Cooldown || reductionCount < 0)
        {
            throw new InvalidDataException(
                $"Corrupted plateau schedule state, or one saved by a schedule with another configuration (rate {current}, bad epochs {badEpochs}, cooldown {cooldownRemaining}, reductions {reductionCount}).");
        }

        _current = current;
        _best = best;
        _hasBest = hasBest == 1;
        _badEpochs = badEpochs;
        _cooldownRemaining = cooldownRemaining;
        _reductionCount = reductionCount;
    }

    private bool IsImprovement(double metric)
    {
        if (double.IsNaN(metric))
        {
            return false;
        }

        if (!_hasBest)
        {
            return true;
        }

        if (double.IsInfinity(_best))
        {
            // A relative margin of an infinite best is not a number; any smaller value is progress.
            return metric < _best;
        }

        return metric < _best - (MinDelta * Math.Abs(_best));
    }
}
