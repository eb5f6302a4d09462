using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>
/// Everything needed to continue a training run exactly where it stopped: parameters, the Adam state (step and
/// moments), the schedule's and the convergence monitor's state, the epoch count and the history. Training N epochs,
/// saving a checkpoint and resuming for M more gives the same weights, bit for bit, as N + M epochs in one run
/// (same data, options, seed and thread count).
/// </summary>
public sealed class TrainingCheckpoint
{
    private const uint Magic = 0x4B434441; // "ADCK" little-endian
    private const int Version = 2;

    private TrainingCheckpoint(
        ModelShape shape, float[] parameters, AdamState state, int epochs, long rowsSeen, byte[] scheduleState,
        double best, int? bestEpoch, int nonImproving, float[]? bestParameters, IReadOnlyList<EpochRecord> history, float l2)
    {
        L2Regularization = l2;
        Shape = shape;
        Parameters = parameters;
        OptimizerState = state;
        EpochsCompleted = epochs;
        RowsSeen = rowsSeen;
        ScheduleState = scheduleState;
        Best = best;
        BestEpoch = bestEpoch;
        NonImproving = nonImproving;
        BestParameters = bestParameters;
        History = history;
    }

    /// <summary>The parameter vector's shape and layout.</summary>
    internal ModelShape Shape { get; }

    /// <summary>Epochs completed so far.</summary>
    public int EpochsCompleted { get; }

    /// <summary>The Adam optimizer state (step count and moments).</summary>
    internal AdamState OptimizerState { get; }

    /// <summary>The per-epoch history so far.</summary>
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>The L2 weight the run used (given, or chosen from the data); a resumed run keeps it.</summary>
    public float L2Regularization { get; }

    internal float[] Parameters { get; }

    internal long RowsSeen { get; }

    internal byte[] ScheduleState { get; }

    internal double Best { get; }

    internal int? BestEpoch { get; }

    internal int NonImproving { get; }

    internal float[]? BestParameters { get; }

    /// <summary>Writes the checkpoint to <paramref name="stream"/> in a small versioned binary format.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(Shape.FeatureCount);
        writer.Write(Shape.OutputCount);
        writer.Write((int)Shape.Layout);
        WriteFloats(writer, Parameters);
        writer.Write(EpochsCompleted);
        writer.Write(RowsSeen);
        writer.Write(ScheduleState.Length);
        writer.Write(ScheduleState);
        writer.Write(Best);
        writer.Write(BestEpoch ?? -1);
        writer.Write(NonImproving);
        writer.Write(BestParameters is not null);
        if (BestParameters is not null)
        {
            WriteFloats(writer, BestParameters);
        }

        writer.Write(History.Count);
        foreach (var record in History)
        {
            writer.Write(record.Epoch);
            writer.Write(record.TrainingLoss);
            writer.Write(record.ValidationLoss ?? double.NaN);
            writer.Write(record.ValidationAccuracy ?? double.NaN);
            writer.Write(record.LearningRate);
            writer.Write(record.Elapsed.Ticks);
            writer.Write(record.Steps);
        }

        writer.Write(L2Regularization);
        writer.Flush();
        OptimizerState.Save(stream);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The stream does not hold a checkpoint of this version.</exception>
    public static TrainingCheckpoint Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            if (reader.ReadUInt32() != Magic)
            {
                throw new InvalidDataException("The stream is not an MLNet.Adam training checkpoint (bad magic number).");
            }

            int version = reader.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"Unsupported training checkpoint version {version}; this library reads version {Version}.");
            }

            int features = reader.ReadInt32();
            int outputs = reader.ReadInt32();
            var layout = (WeightLayout)reader.ReadInt32();
            var shape = outputs == 1 ? ModelShape.Binary(features) : ModelShape.Multiclass(features, outputs, layout);
            var parameters = ReadFloats(reader, shape.ParameterCount);
            int epochs = reader.ReadInt32();
            long rows = reader.ReadInt64();
            var schedule = reader.ReadBytes(reader.ReadInt32());
            double best = reader.ReadDouble();
            int bestEpoch = reader.ReadInt32();
            int nonImproving = reader.ReadInt32();
            var bestParameters = reader.ReadBoolean() ? ReadFloats(reader, shape.ParameterCount) : null;
            int count = reader.ReadInt32();
            var history = new List<EpochRecord>(count);
            for (int i = 0; i < count; i++)
            {
                int epoch = reader.ReadInt32();
                double loss = reader.ReadDouble();
                double validation = reader.ReadDouble();
                double accuracy = reader.ReadDouble();
                float lr = reader.ReadSingle();
                var elapsed = new TimeSpan(reader.ReadInt64());
                long steps = reader.ReadInt64();
                history.Add(new EpochRecord(epoch, loss, double.IsNaN(validation) ? null : validation, double.IsNaN(accuracy) ? null : accuracy, lr, elapsed, steps));
            }

            float l2 = reader.ReadSingle();
            if (!(float.IsFinite(l2) && l2 >= 0))
            {
                throw new InvalidDataException($"The training checkpoint holds an invalid L2 weight {l2}.");
            }

            var state = AdamState.Load(stream);
            return new TrainingCheckpoint(shape, parameters, state, epochs, rows, schedule, best, bestEpoch < 0 ? null : bestEpoch, nonImproving, bestParameters, history, l2);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The training checkpoint is truncated.", e);
        }
    }

    internal static TrainingCheckpoint Capture(
        ModelShape shape, float[] parameters, AdamState state, int epochs, long rowsSeen, LearningRateSchedule schedule, ConvergenceMonitor monitor, IReadOnlyList<EpochRecord> history, float l2)
    {
        using var scheduleStream = new MemoryStream();
        schedule.SaveState(scheduleStream);
        return new TrainingCheckpoint(
            shape, (float[])parameters.Clone(), state.Clone(), epochs, rowsSeen, scheduleStream.ToArray(), monitor.Best, monitor.BestEpoch, monitor.NonImproving,
            (float[]?)monitor.BestParameters?.Clone(), history.ToArray(), l2);
    }

    internal void RestoreInto(LearningRateSchedule schedule, ConvergenceMonitor monitor)
    {
        if (ScheduleState.Length > 0)
        {
            using var scheduleStream = new MemoryStream(ScheduleState);
            schedule.LoadState(scheduleStream);
        }

        monitor.Restore(Best, BestEpoch, NonImproving, BestParameters);
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    private static float[] ReadFloats(BinaryReader reader, int expected)
    {
        int length = reader.ReadInt32();
        if (length != expected)
        {
            throw new InvalidDataException($"The training checkpoint holds {length} parameters where its shape needs {expected}.");
        }

        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return values;
    }
}
