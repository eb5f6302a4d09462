using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MLNet.Adam.Optimization;

/// <summary>Reads and writes the binary format of <see cref="AdamState"/> (documented on <see cref="AdamState.Save"/>).</summary>
internal static class AdamStateFormat
{
    public const int Version = 1;
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

        var checksum = new StateChecksum();
        checksum.Append(header);
        stream.Write(header);
        WriteFloats(stream, m, ref checksum);
        WriteFloats(stream, v, ref checksum);
        if (amsgrad)
        {
            WriteFloats(stream, maxV, ref checksum);
        }

        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(tail, checksum.Finish());
        stream.Write(tail);
    }

    public static (long Step, bool Amsgrad, float[] M, float[] V, float[] MaxV) Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        ReadExactly(stream, header, "header");
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
        long payload = (long)count * sizeof(float) * (amsgrad ? 3 : 2);
        if (stream.CanSeek && stream.Length - stream.Position < payload + sizeof(ulong))
        {
            // Checked before allocating so that a corrupted count cannot request gigabytes.
            throw new InvalidDataException(
                $"Truncated Adam state: {count} parameters need {payload + sizeof(ulong)} more bytes, the stream has {stream.Length - stream.Position}.");
        }

        var checksum = new StateChecksum();
        checksum.Append(header);
        var m = ReadFloats(stream, count, ref checksum, "first moment");
        var v = ReadFloats(stream, count, ref checksum, "second moment");
        var maxV = amsgrad ? ReadFloats(stream, count, ref checksum, "maximum second moment") : [];

        Span<byte> tail = stackalloc byte[8];
        ReadExactly(stream, tail, "checksum");
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(tail);
        ulong actual = checksum.Finish();
        if (stored != actual)
        {
            throw new InvalidDataException(
                $"Corrupted Adam state: checksum mismatch (stored 0x{stored:X16}, computed 0x{actual:X16}).");
        }

        return (step, amsgrad, m, v, maxV);
    }

    private static void WriteFloats(Stream stream, float[] values, ref StateChecksum checksum)
    {
        if (BitConverter.IsLittleEndian)
        {
            var bytes = MemoryMarshal.AsBytes(values.AsSpan());
            checksum.Append(bytes);
            stream.Write(bytes);
            return;
        }

        Span<byte> one = stackalloc byte[sizeof(float)];
        foreach (float x in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(one, x);
            checksum.Append(one);
            stream.Write(one);
        }
    }

    private static float[] ReadFloats(Stream stream, int count, ref StateChecksum checksum, string what)
    {
        var values = new float[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        ReadExactly(stream, bytes, what);
        checksum.Append(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            var raw = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(raw, raw);
        }

        return values;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Truncated Adam state: the stream ended inside the {what}.", e);
        }
    }
}
