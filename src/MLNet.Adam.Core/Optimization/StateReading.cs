namespace MLNet.Adam.Optimization;

/// <summary>
/// Reads a length given by a stored header without trusting it: a damaged length must end in
/// <see cref="InvalidDataException"/>, never in an attempt to allocate gigabytes.
/// </summary>
internal static class StateReading
{
    // Buffers grow in steps from this size, so a corrupted length on a short forward-only stream allocates at most
    // about twice the bytes the stream really holds.
    private const int FirstChunk = 1 << 20;

    /// <summary>
    /// Fills <paramref name="buffer"/> from <paramref name="stream"/>; at the end of the stream throws
    /// <see cref="InvalidDataException"/> built by <paramref name="truncated"/>.
    /// </summary>
    public static void ReadExactly(Stream stream, Span<byte> buffer, Func<string> truncated)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException(truncated(), e);
        }
    }

    /// <summary>
    /// Reads <paramref name="count"/> bytes. On a seekable stream the length is checked against what remains before
    /// allocating; on a forward-only stream the buffer grows as data arrives.
    /// </summary>
    public static byte[] ReadBytes(Stream stream, long count, Func<string> truncated)
    {
        if (count < 0 || count > Array.MaxLength)
        {
            throw new InvalidDataException(truncated());
        }

        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position < count)
            {
                throw new InvalidDataException(truncated());
            }

            var all = new byte[count];
            ReadExactly(stream, all, truncated);
            return all;
        }

        var buffer = new byte[Math.Min(count, FirstChunk)];
        int filled = 0;
        while (true)
        {
            ReadExactly(stream, buffer.AsSpan(filled), truncated);
            filled = buffer.Length;
            if (filled == count)
            {
                return buffer;
            }

            Array.Resize(ref buffer, (int)Math.Min(count, (long)buffer.Length * 2));
        }
    }
}
