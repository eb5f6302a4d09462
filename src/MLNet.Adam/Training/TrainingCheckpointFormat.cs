using System.Buffers.Binary;
using System.Text;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>
/// The file format of <see cref="TrainingCheckpoint"/>, little-endian:
/// <list type="number">
/// <item>header, 16 bytes: uint32 magic <c>ADCK</c>; int32 format version (2); int64 body length L;</item>
/// <item>body, L bytes: sections, each a uint32 tag (4 ASCII characters), an int32 flags word (bit 0: optional, a
/// reader that does not know the tag may skip it), an int64 payload length n, then n payload bytes;</item>
/// <item>the 32-byte SHA-256 of the header and the body.</item>
/// </list>
/// The whole record is read and its checksum verified before any section is parsed, so a changed byte anywhere,
/// including in a length, fails as <see cref="InvalidDataException"/> and is never read as a different value.
/// </summary>
/// <remarks>
/// Sections of version 2: <c>SHPE</c> (int32 features, int32 outputs, int32 layout), <c>PARM</c> (int32 n, float32[n]
/// parameters), <c>PROG</c> (int32 epochs completed, int64 rows seen), <c>SCHD</c> (the schedule's own state bytes),
/// <c>CONV</c> (float64 best monitored value, int32 best epoch or -1, int32 epochs without improvement),
/// <c>BEST</c> (present only when the best epoch's parameters are kept: int32 n, float32[n]), <c>HIST</c> (int32 count,
/// then per epoch int32 epoch, float64 training loss, float64 validation loss or NaN, float64 validation accuracy or
/// NaN, float32 learning rate, int64 elapsed ticks, int64 steps), <c>L2RG</c> (float32 L2 weight the run used), <c>STDZ</c> (the
/// standardization the parameters are trained under: int32 n, float32[n] feature means, int32 n, float32[n]
/// reciprocal scales; zeros and ones when the run trained on the raw features) and
/// <c>ADAM</c> (an <see cref="AdamState"/> record in
/// its own format, with its own checksum). Adding a field later means adding a section: a new tag that older readers
/// must understand to resume correctly is written without the optional flag (they then refuse the file with a clear
/// message); one they can ignore is written with it. The version changes only when an existing section changes meaning.
/// </remarks>
internal static class TrainingCheckpointFormat
{
    public const int Version = 2;

    public const int HistoryRecordBytes = 4 + 8 + 8 + 8 + 4 + 8 + 8;

    public static readonly uint ShapeTag = Tag("SHPE");
    public static readonly uint ParametersTag = Tag("PARM");
    public static readonly uint ProgressTag = Tag("PROG");
    public static readonly uint ScheduleTag = Tag("SCHD");
    public static readonly uint ConvergenceTag = Tag("CONV");
    public static readonly uint BestParametersTag = Tag("BEST");
    public static readonly uint HistoryTag = Tag("HIST");
    public static readonly uint RegularizationTag = Tag("L2RG");
    public static readonly uint OptimizerTag = Tag("ADAM");
    public static readonly uint StandardizationTag = Tag("STDZ");

    private const uint Magic = 0x4B434441; // "ADCK" little-endian
    private const int HeaderBytes = 4 + 4 + 8;
    private const int SectionHeaderBytes = 4 + 4 + 8;
    private const int OptionalFlag = 1;

    private static readonly HashSet<uint> Known =
        [ShapeTag, ParametersTag, ProgressTag, ScheduleTag, ConvergenceTag, BestParametersTag, HistoryTag, RegularizationTag, StandardizationTag, OptimizerTag];

    public static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Flush();
        AdamStateFormat.WriteFloats(writer.BaseStream, values, checksum: null);
    }

    /// <summary>Reads the header, the body and the checksum; verifies it and splits the body into sections.</summary>
    public static Sections ReadVerified(Stream stream)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        StateReading.ReadExactly(stream, header, () => "The training checkpoint is truncated: the stream ended inside the header.");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            throw new InvalidDataException("The stream is not an MLNet.Adam training checkpoint (it does not start with 'ADCK').");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (version != Version)
        {
            throw new InvalidDataException(
                $"Unsupported training checkpoint version {version}; this library reads version {Version}" +
                (version < Version ? " (older checkpoints had no checksum over all their fields: train again to make a new one)." : "."));
        }

        long length = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        string Truncated() => $"The training checkpoint is truncated or damaged: its header announces {length} bytes of contents and a checksum, and the stream ended before them.";
        if (length < 0 || length > Array.MaxLength - StateChecksum.Length)
        {
            throw new InvalidDataException(Truncated());
        }

        byte[] rest = StateReading.ReadBytes(stream, length + StateChecksum.Length, Truncated);
        using (var checksum = new StateChecksum())
        {
            checksum.Append(header);
            checksum.Append(rest.AsSpan(0, (int)length));
            if (!checksum.Matches(rest.AsSpan((int)length)))
            {
                throw new InvalidDataException("The training checkpoint is damaged: its checksum does not match its contents.");
            }
        }

        return new Sections(rest, (int)length);
    }

    private static uint Tag(string name) => BinaryPrimitives.ReadUInt32LittleEndian(Encoding.ASCII.GetBytes(name));

    private static string Name(uint tag)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, tag);
        foreach (byte b in bytes)
        {
            if (b < 0x20 || b > 0x7E)
            {
                return $"0x{tag:X8}";
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>Builds the body in memory, then writes header, body and checksum.</summary>
    public sealed class Writer
    {
        private readonly MemoryStream _body = new();

        public void Section(uint tag, Action<BinaryWriter> write, bool optional = false)
        {
            using var writer = new BinaryWriter(_body, Encoding.UTF8, leaveOpen: true);
            writer.Write(tag);
            writer.Write(optional ? OptionalFlag : 0);
            long lengthAt = _body.Position;
            writer.Write(0L);
            long start = _body.Position;
            write(writer);
            writer.Flush();
            long end = _body.Position;
            _body.Position = lengthAt;
            writer.Write(end - start);
            writer.Flush();
            _body.Position = end;
        }

        public void WriteTo(Stream stream)
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], _body.Length);
            var body = _body.GetBuffer().AsSpan(0, (int)_body.Length);
            Span<byte> tail = stackalloc byte[StateChecksum.Length];
            using (var checksum = new StateChecksum())
            {
                checksum.Append(header);
                checksum.Append(body);
                checksum.Finish(tail);
            }

            stream.Write(header);
            stream.Write(body);
            stream.Write(tail);
        }
    }

    /// <summary>The sections of a verified body, by tag.</summary>
    public sealed class Sections
    {
        private readonly byte[] _data;
        private readonly Dictionary<uint, (int Start, int Length)> _byTag = [];

        public Sections(byte[] data, int length)
        {
            _data = data;
            int position = 0;
            while (position < length)
            {
                if (length - position < SectionHeaderBytes)
                {
                    throw new InvalidDataException($"The training checkpoint is damaged: {length - position} stray bytes at the end of its contents.");
                }

                uint tag = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(position));
                int flags = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(position + 4));
                long size = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(position + 8));
                position += SectionHeaderBytes;
                if (size < 0 || size > length - position)
                {
                    throw new InvalidDataException($"The training checkpoint is damaged: section '{Name(tag)}' announces {size} bytes where {length - position} remain.");
                }

                if ((flags & ~OptionalFlag) != 0)
                {
                    throw new InvalidDataException($"The training checkpoint's section '{Name(tag)}' has unknown flags 0x{flags:X8}.");
                }

                if (!Known.Contains(tag))
                {
                    if ((flags & OptionalFlag) == 0)
                    {
                        throw new InvalidDataException(
                            $"The training checkpoint has a section '{Name(tag)}' that this version of MLNet.Adam does not know and cannot resume without; it was written by a newer version.");
                    }
                }
                else if (!_byTag.TryAdd(tag, (position, (int)size)))
                {
                    throw new InvalidDataException($"The training checkpoint has section '{Name(tag)}' twice.");
                }

                position += (int)size;
            }
        }

        public SectionReader Required(uint tag) =>
            Optional(tag) ?? throw new InvalidDataException($"The training checkpoint has no section '{Name(tag)}'.");

        public SectionReader? Optional(uint tag) =>
            _byTag.TryGetValue(tag, out var where) ? new SectionReader(_data, where.Start, where.Length, Name(tag)) : null;
    }

    /// <summary>Bounds-checked little-endian reads inside one section.</summary>
    public sealed class SectionReader
    {
        private readonly byte[] _data;
        private readonly int _end;
        private readonly string _name;
        private int _position;

        public SectionReader(byte[] data, int start, int length, string name)
        {
            _data = data;
            _position = start;
            _end = start + length;
            _name = name;
        }

        public int Remaining => _end - _position;

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

        public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public byte[] ReadRest() => Take(Remaining).ToArray();

        public float[] ReadFloats()
        {
            int count = ReadInt32();
            if (count < 0 || count > Remaining / sizeof(float))
            {
                throw new InvalidDataException($"The training checkpoint's section '{_name}' announces {count} values in {Remaining} bytes.");
            }

            return AdamStateFormat.ToFloats(Take(count * sizeof(float)));
        }

        public AdamState ReadAdamState()
        {
            using var stream = new MemoryStream(_data, _position, Remaining, writable: false);
            var state = AdamState.Load(stream);
            _position += (int)stream.Position;
            End();
            return state;
        }

        /// <summary>Checks that the section was read to its end.</summary>
        public void End()
        {
            if (_position != _end)
            {
                throw new InvalidDataException($"The training checkpoint's section '{_name}' has {_end - _position} bytes more than this version reads.");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > Remaining)
            {
                throw new InvalidDataException($"The training checkpoint's section '{_name}' ends early.");
            }

            var span = _data.AsSpan(_position, count);
            _position += count;
            return span;
        }
    }
}
