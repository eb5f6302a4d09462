using System.IO.Compression;

namespace MLNet.Adam.Tests.ModelFiles;

internal static class ZipEntries
{
    /// <summary>Every entry of a zip, by name, decompressed.</summary>
    public static SortedDictionary<string, byte[]> Read(byte[] zip)
    {
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var contents = new MemoryStream();
            stream.CopyTo(contents);
            entries.Add(entry.FullName, contents.ToArray());
        }
        return entries;
    }

    /// <summary>Offset of the first differing byte (or the shorter length), for readable failures; -1 when equal.</summary>
    public static int FirstDifference(byte[] expected, byte[] actual)
    {
        int n = Math.Min(expected.Length, actual.Length);
        for (int i = 0; i < n; i++)
        {
            if (expected[i] != actual[i])
                return i;
        }
        return expected.Length == actual.Length ? -1 : n;
    }
}
