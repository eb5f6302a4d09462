using System.Security.Cryptography;

namespace MLNet.Adam.Optimization;

/// <summary>
/// The integrity check of the library's saved formats (<see cref="AdamState"/> and the trainers' checkpoints): the
/// SHA-256 of the bytes it follows, fed in pieces. A cryptographic hash rather than a fast word-wise one, because a
/// damaged file can differ in several places at once (a torn write, a bad sector), and every combination of changes
/// must be caught with certainty for practical purposes, not only single flipped bits. Word-wise FNV-1a, for example,
/// misses the same top bit flipped in two words.
/// </summary>
internal sealed class StateChecksum : IDisposable
{
    /// <summary>Length in bytes of the stored checksum.</summary>
    public const int Length = 32;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Append(ReadOnlySpan<byte> bytes) => _hash.AppendData(bytes);

    /// <summary>Writes the checksum of everything appended into <paramref name="destination"/> (<see cref="Length"/> bytes).</summary>
    public void Finish(Span<byte> destination) => _hash.GetHashAndReset(destination);

    /// <summary>Compares the checksum of everything appended with <paramref name="stored"/>, in constant time.</summary>
    public bool Matches(ReadOnlySpan<byte> stored)
    {
        Span<byte> actual = stackalloc byte[Length];
        _hash.GetHashAndReset(actual);
        return stored.Length == Length && CryptographicOperations.FixedTimeEquals(actual, stored);
    }

    /// <summary>The checksum of <paramref name="bytes"/>.</summary>
    public static void Of(ReadOnlySpan<byte> bytes, Span<byte> destination) => SHA256.HashData(bytes, destination);

    public void Dispose() => _hash.Dispose();
}
