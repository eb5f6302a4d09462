using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MLNet.Adam.Optimization;

/// <summary>Reads and writes the binary format of <see cref="AdamState"/> (documented on <see cref="AdamState.Save"/>).</summary>
internal static class AdamStateFormat
{
    /// <summary>The format version written and read. Version 1 had a weaker 64-bit checksum and is not read.</summary>
    public const int Version = 2;
    private const ulong Magic = 0x54415453_4D414441; // "ADAMSTAT" read as a little-endian uint64.
    private const int HeaderBytes = 8 + 4 + 8 + 4 + 4;
    private const int AmsgradFlag = 1;

    public static void Write(Stream stream, long step, bool amsgrad, float[] m, float[] v, float[] maxV)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], step);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], m.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], amsgrad ? AmsgradFlag : 0);

        using var checksum = new StateChecksum();
        checksum.Append(header);
        stream.Write(header);
        WriteFloats(stream, m, checksum);
        WriteFloats(stream, v, checksum);
        if (amsgrad)
        {
            WriteFloats(stream, maxV, checksum);
        }

        Span<byte> tail = stackalloc byte[StateChecksum.Length];
        checksum.Finish(tail);
        stream.Write(tail);
    }

    public static (long Step, bool Amsgrad, float[] M, float[] V, float[] MaxV) Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        StateReading.ReadExactly(stream, header, () => "Truncated Adam state: the stream ended inside the header.");
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic)
        {
            throw new InvalidDataException("Not an Adam optimizer state: the stream does not start with 'ADAMSTAT'.");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (version != Version)
        {
            throw new InvalidDataException(
                $"Unsupported Adam state format version {version}; this library reads version {Version}.");
        }

        long step = BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        int flags = BinaryPrimitives.ReadInt32LittleEndian(header[24..]);
        if (step < 0)
        {
            throw new InvalidDataException($"Corrupted Adam state: negative step count {step}.");
        }

        if (count < 0)
        {
            throw new InvalidDataException($"Corrupted Adam state: negative parameter count {count}.");
        }

        if ((flags & ~AmsgradFlag) != 0)
        {
            throw new InvalidDataException($"Corrupted Adam state: unknown flags 0x{flags:X8}.");
        }

        bool amsgrad = (flags & AmsgradFlag) != 0;
        int arrays = amsgrad ? 3 : 2;
        long payload = (long)count * sizeof(float) * arrays;
        string Truncated() => $"Truncated Adam state: {count} parameters need {payload + StateChecksum.Length} bytes after the header, and the stream ended before them.";
        if (payload > Array.MaxLength)
        {
            throw new InvalidDataException($"Truncated or corrupted Adam state: {count} parameters need {payload} bytes, more than one state can hold.");
        }

        byte[] body = StateReading.ReadBytes(stream, payload, Truncated);
        Span<byte> tail = stackalloc byte[StateChecksum.Length];
        StateReading.ReadExactly(stream, tail, Truncated);

        using var checksum = new StateChecksum();
        checksum.Append(header);
        checksum.Append(body);
        if (!checksum.Matches(tail))
        {
            throw new InvalidDataException("Corrupted Adam state: the checksum does not match the contents.");
        }

        int bytesPerArray = count * sizeof(float);
        var m = ToFloats(body.AsSpan(0, bytesPerArray));
        var v = ToFloats(body.AsSpan(bytesPerArray, bytesPerArray));
        var maxV = amsgrad ? ToFloats(body.AsSpan(2 * bytesPerArray, bytesPerArray)) : [];
        return (step, amsgrad, m, v, maxV);
    }

    /// <summary>Writes <paramref name="values"/> little-endian and feeds the bytes to <paramref name="checksum"/>.</summary>
    internal static void WriteFloats(Stream stream, ReadOnlySpan<float> values, StateChecksum? checksum)
    {
        if (BitConverter.IsLittleEndian)
        {
            var bytes = MemoryMarshal.AsBytes(values);
            checksum?.Append(bytes);
            stream.Write(bytes);
            return;
        }

        Span<byte> one = stackalloc byte[sizeof(float)];
        foreach (float x in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(one, x);
            checksum?.Append(one);
            stream.Write(one);
        }
    }

    /// <summary>Reads little-endian float32 values (the byte count must be a multiple of 4).</summary>
    internal static float[] ToFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            var raw = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(raw, raw);
        }

        return values;
    }
}
