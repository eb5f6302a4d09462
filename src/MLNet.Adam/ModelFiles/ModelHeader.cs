using System.Buffers.Binary;

namespace MLNet.Adam.ModelFiles;

/// <summary>
/// The 256-byte header that opens every <c>Model.key</c> stream. All offsets are relative to the start of the
/// stream and little-endian; unused fields stay zero.
/// </summary>
internal static class ModelHeader
{
    /// <summary>Size of the header, which is also the offset of the model blob.</summary>
    public const int Size = 256;

    /// <summary>"ML\0MODEL" read as a little-endian u64.</summary>
    public const ulong Signature = 0x4C45444F4D004C4DUL;

    /// <summary>The signature written at the tail, "LEDOM\0LM" read as a little-endian u64.</summary>
    public const ulong TailSignature = 0x4D4C004D4F44454CUL;

    // The header version that introduced the loader assembly name; every ML.NET since 1.0 writes and reads it.
    private const uint HeaderVersion = 0x00010002;

    private const int LoaderSignatureChars = 24;

    /// <summary>Byte positions and sizes of the parts that follow the header.</summary>
    public readonly record struct Layout(
        long ModelBytes,
        long StringTableOffset,
        long StringTableBytes,
        long StringCharsOffset,
        long StringCharsBytes,
        long AssemblyNameOffset,
        uint AssemblyNameBytes,
        long TailOffset,
        long End);

    /// <summary>Fills <paramref name="header"/> (exactly <see cref="Size"/> bytes) for a stream of the given layout.</summary>
    public static void Write(Span<byte> header, ModelVersion version, Layout layout)
    {
        if (header.Length != Size)
            throw new ArgumentException($"The header must be {Size} bytes.", nameof(header));

        header.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(header[0x00..], Signature);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x08..], HeaderVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x0C..], HeaderVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header[0x10..], Size);
        BinaryPrimitives.WriteInt64LittleEndian(header[0x18..], layout.ModelBytes);
        BinaryPrimitives.WriteInt64LittleEndian(header[0x20..], layout.StringTableOffset);
        BinaryPrimitives.WriteInt64LittleEndian(header[0x28..], layout.StringTableBytes);
        BinaryPrimitives.WriteInt64LittleEndian(header[0x30..], layout.StringCharsOffset);
        BinaryPrimitives.WriteInt64LittleEndian(header[0x38..], layout.StringCharsBytes);
        WriteAscii(header.Slice(0x40, 8), version.ModelSignature, spacesAsZero: true);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x48..], version.VersionWritten);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x4C..], version.VersionReadable);
        WriteAscii(header.Slice(0x50, LoaderSignatureChars), version.LoaderSignature, spacesAsZero: false);
        // 0x68..0x7F: alternate loader signature, unused.
        BinaryPrimitives.WriteInt64LittleEndian(header[0x80..], layout.TailOffset);
        BinaryPrimitives.WriteInt64LittleEndian(header[0x88..], layout.End);
        BinaryPrimitives.WriteInt64LittleEndian(header[0x90..], layout.AssemblyNameOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x98..], layout.AssemblyNameBytes);
    }

    private static void WriteAscii(Span<byte> destination, string text, bool spacesAsZero)
    {
        if (text.Length > destination.Length)
            throw new ArgumentException($"'{text}' is longer than {destination.Length} characters.", nameof(text));
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0x7F)
                throw new ArgumentException($"'{text}' is not ASCII.", nameof(text));
            destination[i] = spacesAsZero && c == ' ' ? (byte)0 : (byte)c;
        }
    }
}
