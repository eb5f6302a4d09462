namespace MLNet.Adam.ModelFiles;

/// <summary>
/// The string pool of one model stream: ids are assigned in first-use order and repeated strings share an id,
/// which is what ML.NET's readers expect when they resolve a stored id.
/// </summary>
internal sealed class ModelStringTable
{
    private readonly List<string> _strings = new();
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>Number of distinct strings added so far.</summary>
    public int Count => _strings.Count;

    /// <summary>Returns the id of <paramref name="value"/>, adding it if it is new.</summary>
    public int GetOrAdd(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_ids.TryGetValue(value, out int id))
            return id;
        id = _strings.Count;
        _strings.Add(value);
        _ids.Add(value, id);
        return id;
    }

    /// <summary>
    /// Writes the table (one cumulative byte end offset per string) followed by the UTF-16 characters, and returns
    /// the byte sizes of both parts.
    /// </summary>
    public (long TableBytes, long CharBytes) WriteTo(BinaryWriter writer)
    {
        long end = 0;
        foreach (string s in _strings)
        {
            end += s.Length * sizeof(char);
            writer.Write(end);
        }
        foreach (string s in _strings)
            WriteUtf16(writer, s);
        return (_strings.Count * sizeof(long), end);
    }

    /// <summary>Writes the characters of <paramref name="value"/> as little-endian UTF-16 code units, no terminator.</summary>
    public static void WriteUtf16(BinaryWriter writer, string value)
    {
        foreach (char c in value)
            writer.Write((ushort)c);
    }
}
