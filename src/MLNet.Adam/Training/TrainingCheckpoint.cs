using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>
/// Everything needed to continue a training run exactly where it stopped: parameters, the Adam state (step and
/// moments), the schedule's and the convergence monitor's state, the standardization the parameters live in, the
/// epoch count and the history. Training N epochs,
/// saving a checkpoint and resuming for M more gives the same weights, bit for bit, as N + M epochs in one run
/// (same data, options, seed and thread count).
/// </summary>
public sealed class TrainingCheckpoint
{
    private TrainingCheckpoint(ModelShape shape, DescentState state, Standardization map, IReadOnlyList<EpochRecord> history, float l2)
    {
        Shape = shape;
        State = state;
        Map = map;
        History = history;
        L2Regularization = l2;
    }

    /// <summary>The parameter vector's shape and layout.</summary>
    internal ModelShape Shape { get; }

    /// <summary>Epochs completed so far.</summary>
    public int EpochsCompleted => State.EpochsCompleted;

    /// <summary>The per-epoch history so far.</summary>
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>The L2 weight the run used (given, or chosen from the data); a resumed run keeps it.</summary>
    public float L2Regularization { get; }

    /// <summary>The step loop's state: parameters θ, the Adam state, schedule and monitor state, counters.</summary>
    internal DescentState State { get; }

    /// <summary>The standardization map θ was trained under (a resumed run continues in the same space).</summary>
    internal Standardization Map { get; }

    /// <summary>The Adam optimizer state (step count and moments).</summary>
    internal AdamState OptimizerState => State.Optimizer;

    internal float[] Parameters => State.Parameters;

    internal long RowsSeen => State.RowsSeen;

    internal byte[] ScheduleState => State.ScheduleState;

    internal double Best => State.Monitor.Best;

    internal int? BestEpoch => State.Monitor.BestEpoch;

    internal int NonImproving => State.Monitor.NonImproving;

    internal float[]? BestParameters => State.Monitor.BestParameters;

    /// <summary>
    /// Writes the checkpoint to <paramref name="stream"/> in a versioned binary format whose every byte is covered by
    /// a checksum (the format is described on <see cref="TrainingCheckpointFormat"/>).
    /// </summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new TrainingCheckpointFormat.Writer();
        writer.Section(TrainingCheckpointFormat.ShapeTag, s =>
        {
            s.Write(Shape.FeatureCount);
            s.Write(Shape.OutputCount);
            s.Write((int)Shape.Layout);
        });
        writer.Section(TrainingCheckpointFormat.ParametersTag, s => TrainingCheckpointFormat.WriteFloats(s, Parameters));
        writer.Section(TrainingCheckpointFormat.ProgressTag, s =>
        {
            s.Write(EpochsCompleted);
            s.Write(RowsSeen);
        });
        writer.Section(TrainingCheckpointFormat.ScheduleTag, s => s.Write(ScheduleState));
        writer.Section(TrainingCheckpointFormat.ConvergenceTag, s =>
        {
            s.Write(Best);
            s.Write(BestEpoch ?? -1);
            s.Write(NonImproving);
        });
        if (BestParameters is not null)
        {
            writer.Section(TrainingCheckpointFormat.BestParametersTag, s => TrainingCheckpointFormat.WriteFloats(s, BestParameters));
        }

        writer.Section(TrainingCheckpointFormat.HistoryTag, s =>
        {
            s.Write(History.Count);
            foreach (var record in History)
            {
                s.Write(record.Epoch);
                s.Write(record.TrainingLoss);
                s.Write(record.ValidationLoss ?? double.NaN);
                s.Write(record.ValidationAccuracy ?? double.NaN);
                s.Write(record.LearningRate);
                s.Write(record.Elapsed.Ticks);
                s.Write(record.Steps);
            }
        });
        writer.Section(TrainingCheckpointFormat.RegularizationTag, s => s.Write(L2Regularization));
        writer.Section(TrainingCheckpointFormat.StandardizationTag, s =>
        {
            TrainingCheckpointFormat.WriteFloats(s, Map.Mean.ToArray());
            TrainingCheckpointFormat.WriteFloats(s, Map.InverseScale.ToArray());
        });
        writer.Section(TrainingCheckpointFormat.OptimizerTag, s =>
        {
            s.Flush();
            OptimizerState.Save(s.BaseStream);
        });
        writer.WriteTo(stream);
    }

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save"/>, consuming exactly its bytes. The whole record is read and its
    /// checksum verified before any field is used, so a damaged file never resumes as a different model.
    /// </summary>
    /// <param name="stream">A readable stream positioned at the start of a checkpoint; it is not closed.</param>
    /// <exception cref="InvalidDataException">
    /// The stream does not hold a checkpoint, holds one of an unsupported version, or the checkpoint is truncated or
    /// damaged (any changed byte).
    /// </exception>
    public static TrainingCheckpoint Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var sections = TrainingCheckpointFormat.ReadVerified(stream);
        try
        {
            var shapeReader = sections.Required(TrainingCheckpointFormat.ShapeTag);
            int features = shapeReader.ReadInt32();
            int outputs = shapeReader.ReadInt32();
            int layoutValue = shapeReader.ReadInt32();
            shapeReader.End();
            if (features <= 0 || outputs <= 0 || (outputs == 1 && layoutValue != (int)WeightLayout.ClassMajor) || !Enum.IsDefined((WeightLayout)layoutValue))
            {
                throw Inconsistent($"shape of {features} features, {outputs} outputs, layout {layoutValue}");
            }

            var shape = outputs == 1 ? ModelShape.Binary(features) : ModelShape.Multiclass(features, outputs, (WeightLayout)layoutValue);
            var parameters = ReadParameters(sections.Required(TrainingCheckpointFormat.ParametersTag), shape, "parameters");

            var progress = sections.Required(TrainingCheckpointFormat.ProgressTag);
            int epochs = progress.ReadInt32();
            long rows = progress.ReadInt64();
            progress.End();
            if (epochs < 0 || rows < 0)
            {
                throw Inconsistent($"{epochs} epochs and {rows} rows seen");
            }

            var schedule = sections.Required(TrainingCheckpointFormat.ScheduleTag).ReadRest();

            var convergence = sections.Required(TrainingCheckpointFormat.ConvergenceTag);
            double best = convergence.ReadDouble();
            int bestEpoch = convergence.ReadInt32();
            int nonImproving = convergence.ReadInt32();
            convergence.End();
            if (bestEpoch < -1 || bestEpoch > epochs || nonImproving < 0)
            {
                throw Inconsistent($"best epoch {bestEpoch} of {epochs}, {nonImproving} epochs without improvement");
            }

            var bestParameters = sections.Optional(TrainingCheckpointFormat.BestParametersTag) is { } bestReader
                ? ReadParameters(bestReader, shape, "best parameters")
                : null;

            var historyReader = sections.Required(TrainingCheckpointFormat.HistoryTag);
            int count = historyReader.ReadInt32();
            if (count < 0 || count > historyReader.Remaining / TrainingCheckpointFormat.HistoryRecordBytes)
            {
                throw Inconsistent($"history of {count} epochs in {historyReader.Remaining} bytes");
            }

            var history = new List<EpochRecord>(count);
            for (int i = 0; i < count; i++)
            {
                int epoch = historyReader.ReadInt32();
                double loss = historyReader.ReadDouble();
                double validation = historyReader.ReadDouble();
                double accuracy = historyReader.ReadDouble();
                float lr = historyReader.ReadSingle();
                var elapsed = new TimeSpan(historyReader.ReadInt64());
                long steps = historyReader.ReadInt64();
                history.Add(new EpochRecord(epoch, loss, double.IsNaN(validation) ? null : validation, double.IsNaN(accuracy) ? null : accuracy, lr, elapsed, steps));
            }

            historyReader.End();

            var regularization = sections.Required(TrainingCheckpointFormat.RegularizationTag);
            float l2 = regularization.ReadSingle();
            regularization.End();
            if (!(float.IsFinite(l2) && l2 >= 0))
            {
                throw Inconsistent($"an L2 weight of {l2}");
            }

            var stored = sections.Required(TrainingCheckpointFormat.StandardizationTag);
            var mean = stored.ReadFloats();
            var inverseScale = stored.ReadFloats();
            stored.End();
            var map = Standardization.FromStored(shape, mean, inverseScale);

            var optimizer = sections.Required(TrainingCheckpointFormat.OptimizerTag);
            var state = optimizer.ReadAdamState();
            if (state.ParameterCount != shape.ParameterCount)
            {
                throw Inconsistent($"optimizer state for {state.ParameterCount} parameters where the shape has {shape.ParameterCount}");
            }

            var monitor = new MonitorState(best, bestEpoch < 0 ? null : bestEpoch, nonImproving, bestParameters);
            return new TrainingCheckpoint(shape, new DescentState(parameters, state, epochs, rows, schedule, monitor), map, history, l2);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            // The checksum matched, so the writer itself produced values out of range: still not a usable checkpoint.
            throw new InvalidDataException($"The training checkpoint holds inconsistent values: {e.Message}", e);
        }
    }

    /// <summary>A checkpoint of a finished run: copies of its state, so later runs cannot change it.</summary>
    internal static TrainingCheckpoint Capture(ModelShape shape, DescentState state, Standardization map, IReadOnlyList<EpochRecord> history, float l2)
    {
        var monitor = state.Monitor with { BestParameters = (float[]?)state.Monitor.BestParameters?.Clone() };
        var copy = state with { Parameters = (float[])state.Parameters.Clone(), Optimizer = state.Optimizer.Clone(), Monitor = monitor };
        return new TrainingCheckpoint(shape, copy, map, history.ToArray(), l2);
    }

    private static float[] ReadParameters(TrainingCheckpointFormat.SectionReader reader, ModelShape shape, string what)
    {
        var values = reader.ReadFloats();
        reader.End();
        if (values.Length != shape.ParameterCount)
        {
            throw Inconsistent($"{values.Length} {what} where the shape needs {shape.ParameterCount}");
        }

        return values;
    }

    private static InvalidDataException Inconsistent(string what) =>
        new($"The training checkpoint holds inconsistent values: {what}.");
}
