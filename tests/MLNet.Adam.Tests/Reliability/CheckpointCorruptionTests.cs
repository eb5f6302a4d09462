using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Reliability;

/// <summary>
/// A saved checkpoint is covered byte for byte by its version and checksum: every damage of it fails at
/// <see cref="TrainingCheckpoint.Load"/> with <see cref="InvalidDataException"/>, never with another exception and
/// never as a silently different model.
/// </summary>
public class CheckpointCorruptionTests
{
    private const int HeaderBytes = 16;
    private const int ChecksumBytes = 32;

    public static TheoryData<string> Names => TrainerCase.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_EveryBitFlippedAtEveryOffset_ThrowsInvalidData(string name)
    {
        byte[] bytes = SavedCheckpoint(name);
        Assert.NotNull(TrainingCheckpoint.Load(new MemoryStream(bytes)));
        var wrongType = new List<string>();
        for (int position = 0; position < bytes.Length; position++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] corrupted = (byte[])bytes.Clone();
                corrupted[position] ^= (byte)(1 << bit);
                var error = Record.Exception(() => TrainingCheckpoint.Load(new MemoryStream(corrupted)));
                if (error is not InvalidDataException)
                {
                    wrongType.Add($"byte {position} bit {bit}: {error?.GetType().Name ?? "loaded"}");
                }
            }
        }

        Assert.True(wrongType.Count == 0, $"{wrongType.Count} of {bytes.Length * 8} flips of a {bytes.Length}-byte checkpoint: {string.Join("; ", wrongType.Take(10))}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_WholeBytesReplacedWithSeveralMasks_ThrowsInvalidData(string name)
    {
        byte[] bytes = SavedCheckpoint(name);
        foreach (byte mask in new byte[] { 0xFF, 0x81, 0x7E, 0x33 })
        {
            for (int position = 0; position < bytes.Length; position++)
            {
                byte[] corrupted = (byte[])bytes.Clone();
                corrupted[position] ^= mask;
                Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(new MemoryStream(corrupted)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_TruncatedAtEveryLength_ThrowsInvalidDataOnSeekableAndForwardOnlyStreams(string name)
    {
        byte[] bytes = SavedCheckpoint(name);
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(new MemoryStream(bytes, 0, length)));
            Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(new ForwardOnlyStream(bytes.AsMemory(0, length))));
        }
    }

    [Fact]
    public void Load_TwoDistantBytesDamaged_ThrowsInvalidData()
    {
        byte[] bytes = SavedCheckpoint("multiclass");
        var random = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] corrupted = (byte[])bytes.Clone();
            int a = random.Next(bytes.Length), b = random.Next(bytes.Length);
            corrupted[a] ^= (byte)random.Next(1, 256);
            corrupted[b] ^= (byte)(a == b ? 0 : random.Next(1, 256));
            Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(new MemoryStream(corrupted)));
        }
    }

    [Fact]
    public void Load_HugeLengthInHeaderOnForwardOnlyStream_ThrowsWithoutAllocatingIt()
    {
        byte[] bytes = SavedCheckpoint("binary");
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), 1_500_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(new ForwardOnlyStream(bytes))).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
    }

    [Fact]
    public void Load_OlderOrNewerVersion_NamesTheVersion()
    {
        byte[] bytes = SavedCheckpoint("binary");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        Assert.Contains("version 1", Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(new MemoryStream(bytes))).Message);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 3);
        Assert.Contains("version 3", Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(new MemoryStream(bytes))).Message);
    }

    [Fact]
    public void Load_SectionAddedByANewerWriter_SkipsAnOptionalOneAndRefusesARequiredOne()
    {
        byte[] bytes = SavedCheckpoint("binary");
        var original = TrainingCheckpoint.Load(new MemoryStream(bytes));

        var withOptional = TrainingCheckpoint.Load(new MemoryStream(WithExtraSection(bytes, "XTRA", optional: true, [1, 2, 3, 4, 5])));
        Assert.Equal(original.EpochsCompleted, withOptional.EpochsCompleted);
        Assert.Equal(original.OptimizerState.FirstMoment, withOptional.OptimizerState.FirstMoment);

        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(new MemoryStream(WithExtraSection(bytes, "XTRA", optional: false, [1, 2, 3]))));
        Assert.Contains("'XTRA'", error.Message);
        Assert.Contains("newer version", error.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SaveLoad_RoundTrip_KeepsEveryField(string name)
    {
        var checkpoint = Checkpoint(name);
        using var stream = new MemoryStream();
        checkpoint.Save(stream);
        long saved = stream.Length;
        stream.Position = 0;
        var loaded = TrainingCheckpoint.Load(stream);

        Assert.Equal(saved, stream.Position);
        Assert.Equal(checkpoint.Shape, loaded.Shape);
        Assert.Equal(checkpoint.EpochsCompleted, loaded.EpochsCompleted);
        Assert.Equal(checkpoint.Parameters, loaded.Parameters);
        Assert.Equal(checkpoint.BestParameters, loaded.BestParameters);
        Assert.Equal(checkpoint.RowsSeen, loaded.RowsSeen);
        Assert.Equal(checkpoint.ScheduleState, loaded.ScheduleState);
        Assert.Equal(checkpoint.Best, loaded.Best);
        Assert.Equal(checkpoint.BestEpoch, loaded.BestEpoch);
        Assert.Equal(checkpoint.NonImproving, loaded.NonImproving);
        Assert.Equal(checkpoint.History, loaded.History);
        Assert.Equal(checkpoint.OptimizerState.Step, loaded.OptimizerState.Step);
        Assert.Equal(checkpoint.OptimizerState.SecondMoment, loaded.OptimizerState.SecondMoment);
        Assert.Equal(checkpoint.Map.Mean.ToArray(), loaded.Map.Mean.ToArray());
        Assert.Equal(checkpoint.Map.InverseScale.ToArray(), loaded.Map.InverseScale.ToArray());
        Assert.Equal(checkpoint.Map.IsIdentity, loaded.Map.IsIdentity);
    }

    /// <summary>Inserts a section before the checksum and re-seals the file, as a newer writer would.</summary>
    private static byte[] WithExtraSection(byte[] bytes, string tag, bool optional, byte[] payload)
    {
        long bodyLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        using var output = new MemoryStream();
        output.Write(bytes, 0, HeaderBytes + (int)bodyLength);
        output.Write(Encoding.ASCII.GetBytes(tag));
        output.Write(BitConverter.GetBytes(optional ? 1 : 0));
        output.Write(BitConverter.GetBytes((long)payload.Length));
        output.Write(payload);
        byte[] sealedBytes = output.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(sealedBytes.AsSpan(8), sealedBytes.Length - HeaderBytes);
        return [.. sealedBytes, .. SHA256.HashData(sealedBytes)];
    }

    private static TrainingCheckpoint Checkpoint(string name)
    {
        var c = TrainerCase.Get(name);
        var ml = new MLContext(1);
        var trainer = c.Create(ml, o =>
        {
            o.NumberOfEpochs = 3;
            o.BatchSize = 64;
            o.ValidationFraction = 0.2f; // keeps the best epoch's parameters, so every section is present
            o.Amsgrad = name == "multiclass";
        });
        var model = trainer.Fit(c.Data(ml));
        return trainer switch
        {
            AdamLogisticRegressionBinaryTrainer b => b.GetFitResult(model)!.Checkpoint,
            AdamMaximumEntropyMulticlassTrainer m => m.GetFitResult(model)!.Checkpoint,
            _ => throw new InvalidOperationException(),
        };
    }

    private static byte[] SavedCheckpoint(string name)
    {
        var checkpoint = Checkpoint(name);
        Assert.NotNull(checkpoint.BestParameters);
        using var stream = new MemoryStream();
        checkpoint.Save(stream);
        Assert.True(stream.Length > HeaderBytes + ChecksumBytes);
        return stream.ToArray();
    }
}
