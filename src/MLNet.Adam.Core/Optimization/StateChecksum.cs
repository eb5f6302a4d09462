using System.Buffers.Binary;

namespace MLNet.Adam.Optimization;

/// <summary>
/// A 64-bit checksum of a byte sequence fed in pieces: FNV-1a over little-endian 8-byte words (the last partial word
/// zero-padded), then the total length. Each step is a bijection of the running value, so changing any single word
/// always changes the result; word-wise hashing keeps saving a large state cheap.
/// </summary>
internal struct StateChecksum
{
    private const ulong OffsetBasis = 0xCBF29CE484222325;
    private const ulong Prime = 0x00000100000001B3;

    private ulong _hash;
    private ulong _pending;
    private int _pendingBytes;
    private long _length;
    private bool _started;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (!_started)
        {
            _hash = OffsetBasis;
            _started = true;
        }

        _length += bytes.Length;
        while (_pendingBytes != 0 && !bytes.IsEmpty)
        {
            AppendByte(bytes[0]);
            bytes = bytes[1..];
        }

        int whole = bytes.Length & ~7;
        ulong hash = _hash;
        for (int k = 0; k < whole; k += 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(k, 8))) * Prime;
        }

        _hash = hash;
        foreach (byte b in bytes[whole..])
        {
            AppendByte(b);
        }
    }

    public ulong Finish()
    {
        ulong hash = _started ? _hash : OffsetBasis;
        if (_pendingBytes != 0)
        {
            hash = (hash ^ _pending) * Prime;
        }

        return (hash ^ (ulong)_length) * Prime;
    }

    private void AppendByte(byte b)
    {
        _pending |= (ulong)b << (8 * _pendingBytes);
        _pendingBytes++;
        if (_pendingBytes == 8)
        {
            _hash = (_hash ^ _pending) * Prime;
            _pending = 0;
            _pendingBytes = 0;
        }
    }
}
