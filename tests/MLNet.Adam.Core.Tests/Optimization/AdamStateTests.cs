using MLNet.Adam.Optimization;

namespace MLNet.Adam.Core.Tests.Optimization;

public class AdamStateTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveLoad_MidTraining_ContinuationIsBitIdenticalToUninterruptedRun(bool amsgrad)
    {
        const int n = 1003;
        const int steps = 25;
        var h = new AdamHyperparameters
        {
            LearningRate = 0.01f, Amsgrad = amsgrad, L2Regularization = 0.01f, WeightDecay = 0.02f, L1Regularization = 1e-4f,
        };
        float[] start = Gradient(n, seed: -1);

        var straight = new AdamOptimizer(h, n, n - 3);
        float[] p1 = (float[])start.Clone();
        for (int t = 0; t < 2 * steps; t++)
        {
            straight.Step(p1, Gradient(n, t), 0.01f);
        }

        var first = new AdamOptimizer(h, n, n - 3);
        float[] p2 = (float[])start.Clone();
        for (int t = 0; t < steps; t++)
        {
            first.Step(p2, Gradient(n, t), 0.01f);
        }

        using var stream = new MemoryStream();
        first.State.Save(stream);
        stream.Position = 0;
        var resumed = new AdamOptimizer(h, AdamState.Load(stream), n - 3);
        for (int t = steps; t < 2 * steps; t++)
        {
            resumed.Step(p2, Gradient(n, t), 0.01f);
        }

        Assert.Equal(p1, p2);
        Assert.Equal(straight.State.Step, resumed.State.Step);
        Assert.Equal(straight.State.FirstMoment, resumed.State.FirstMoment);
        Assert.Equal(straight.State.SecondMoment, resumed.State.SecondMoment);
        Assert.Equal(straight.State.MaxSecondMoment, resumed.State.MaxSecondMoment);
    }

    [Fact]
    public void SaveLoad_SpecialValues_RoundTripsEveryBit()
    {
        var state = AtStep(new AdamState(6, amsgrad: true), long.MaxValue);
        float[] special = [float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_1234), -0f, float.Epsilon, float.NegativeInfinity, 3.4e38f];
        special.CopyTo(state.FirstMoment, 0);
        special.Reverse().ToArray().CopyTo(state.SecondMoment, 0);
        special.CopyTo(state.MaxSecondMoment, 0);

        var loaded = RoundTrip(state);

        Assert.Equal(long.MaxValue, loaded.Step);
        Assert.True(loaded.Amsgrad);
        Assert.Equal(Bits(state.FirstMoment), Bits(loaded.FirstMoment));
        Assert.Equal(Bits(state.SecondMoment), Bits(loaded.SecondMoment));
        Assert.Equal(Bits(state.MaxSecondMoment), Bits(loaded.MaxSecondMoment));
    }

    [Fact]
    public void Load_TwoStatesInOneStream_ReadsExactlyEachRecord()
    {
        var a = AtStep(new AdamState(3, false), 1);
        var b = AtStep(new AdamState(0, true), 2);
        using var stream = new MemoryStream();
        a.Save(stream);
        b.Save(stream);
        stream.Position = 0;

        Assert.Equal(1, AdamState.Load(stream).Step);
        var second = AdamState.Load(stream);
        Assert.Equal(2, second.Step);
        Assert.True(second.Amsgrad);
        Assert.Equal(0, second.ParameterCount);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Load_AnyFlippedBit_ThrowsInvalidData()
    {
        var state = AtStep(new AdamState(5, amsgrad: true), 7);
        state.FirstMoment[2] = 0.25f;
        byte[] bytes = Saved(state);
        for (int position = 0; position < bytes.Length; position++)
        {
            for (int bit = 0; bit < 8; bit += 3)
            {
                byte[] corrupted = (byte[])bytes.Clone();
                corrupted[position] ^= (byte)(1 << bit);
                Assert.Throws<InvalidDataException>(() => AdamState.Load(new MemoryStream(corrupted)));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_EveryBitFlippedAtEveryOffset_ThrowsInvalidData(bool amsgrad)
    {
        var state = new AdamState(7, amsgrad);
        state.Advance(12);
        for (int i = 0; i < 7; i++)
        {
            state.FirstMoment[i] = 0.1f * (i - 3);
            state.SecondMoment[i] = 0.01f * (i + 1);
        }

        byte[] bytes = Saved(state);
        for (int position = 0; position < bytes.Length; position++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] corrupted = (byte[])bytes.Clone();
                corrupted[position] ^= (byte)(1 << bit);
                Assert.Throws<InvalidDataException>(() => AdamState.Load(new MemoryStream(corrupted)));
                Assert.Throws<InvalidDataException>(() => AdamState.Load(new ForwardOnlyStream(corrupted)));
            }
        }
    }

    [Fact]
    public void Load_SameTopBitFlippedInTwoWords_ThrowsInvalidData()
    {
        // A word-wise FNV checksum misses this pair: flipping bit 63 of a word adds 2^63, which survives every
        // multiplication by the odd prime unchanged, so two such flips cancel. The SHA-256 tail does not.
        var state = new AdamState(8, amsgrad: false);
        byte[] bytes = Saved(state);
        byte[] corrupted = (byte[])bytes.Clone();
        corrupted[28 + 7] ^= 0x80;
        corrupted[28 + 15] ^= 0x80;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => AdamState.Load(new MemoryStream(corrupted))).Message);
    }

    [Fact]
    public void Load_HugeCountOnForwardOnlyStream_ThrowsTruncatedWithoutAllocatingIt()
    {
        byte[] bytes = Saved(new AdamState(1, amsgrad: true));
        BitConverter.GetBytes(100_000_000).CopyTo(bytes, 20); // 1.2 GB announced
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("Truncated", Assert.Throws<InvalidDataException>(() => AdamState.Load(new ForwardOnlyStream(bytes))).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "A damaged count must not allocate what it announces.");
    }

    [Fact]
    public void Load_AnyTruncation_ThrowsInvalidDataNamingTruncation()
    {
        byte[] bytes = Saved(new AdamState(4, amsgrad: false));
        for (int length = 0; length < bytes.Length; length++)
        {
            var seekable = new MemoryStream(bytes, 0, length);
            Assert.Contains("Truncated", Assert.Throws<InvalidDataException>(() => AdamState.Load(seekable)).Message);
            var forwardOnly = new ForwardOnlyStream(bytes.AsMemory(0, length));
            Assert.Contains("Truncated", Assert.Throws<InvalidDataException>(() => AdamState.Load(forwardOnly)).Message);
        }
    }

    [Fact]
    public void Load_WrongMagicOrNewerVersion_ExplainsTheProblem()
    {
        byte[] bytes = Saved(new AdamState(1, amsgrad: false));
        byte[] notState = (byte[])bytes.Clone();
        notState[0] = (byte)'X';
        Assert.Contains("ADAMSTAT", Assert.Throws<InvalidDataException>(() => AdamState.Load(new MemoryStream(notState))).Message);

        byte[] newer = (byte[])bytes.Clone();
        newer[8] = 3;
        Assert.Contains("version 3", Assert.Throws<InvalidDataException>(() => AdamState.Load(new MemoryStream(newer))).Message);
    }

    [Fact]
    public void Load_HugeParameterCountInHeader_ThrowsWithoutAllocating()
    {
        byte[] bytes = Saved(new AdamState(1, amsgrad: false));
        BitConverter.GetBytes(int.MaxValue).CopyTo(bytes, 20);
        Assert.Contains("Truncated", Assert.Throws<InvalidDataException>(() => AdamState.Load(new MemoryStream(bytes))).Message);
    }

    [Fact]
    public void Clone_ThenMutateOriginal_CopyIsUnaffected()
    {
        var state = AtStep(new AdamState(2, amsgrad: true), 3);
        state.SecondMoment[1] = 4f;
        var copy = state.Clone();
        state.SecondMoment[1] = 5f;
        state.MaxSecondMoment[0] = 1f;
        state.Advance(9);

        Assert.Equal(4f, copy.SecondMoment[1]);
        Assert.Equal(0f, copy.MaxSecondMoment[0]);
        Assert.Equal(3, copy.Step);
    }

    [Fact]
    public void Reset_UsedState_ReturnsToZero()
    {
        var state = AtStep(new AdamState(2, amsgrad: true), 3);
        state.FirstMoment[0] = state.SecondMoment[1] = state.MaxSecondMoment[1] = 1f;
        state.Reset();
        Assert.Equal(0, state.Step);
        Assert.All(state.FirstMoment.Concat(state.SecondMoment).Concat(state.MaxSecondMoment), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Constructor_NegativeValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamState(-1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamState(1, false).Advance(-1));
        Assert.Empty(new AdamState(3, amsgrad: false).MaxSecondMoment);
    }

    private static float[] Gradient(int n, int seed)
    {
        var random = new Random(seed + 100);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static byte[] Saved(AdamState state)
    {
        using var stream = new MemoryStream();
        state.Save(stream);
        return stream.ToArray();
    }

    private static AdamState RoundTrip(AdamState state) => AdamState.Load(new MemoryStream(Saved(state)));

    /// <summary>A non-seekable stream, as a network or compressed stream would be.</summary>
    private sealed class ForwardOnlyStream(ReadOnlyMemory<byte> data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, data.Length - _position);
            data.Span.Slice(_position, n).CopyTo(buffer.AsSpan(offset, n));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static AdamState AtStep(AdamState state, long step)
    {
        state.Advance(step);
        return state;
    }
}
