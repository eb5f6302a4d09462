namespace MLNet.Adam.ModelFiles;

/// <summary>
/// Builds one <c>Model.key</c> stream: header, the blob written through <see cref="Writer"/>, the string table,
/// the loader assembly name and the tail, in that order.
/// </summary>
internal sealed class ModelKeyWriter : IDisposable
{
    private readonly ModelVersion _version;
    private readonly MemoryStream _stream = new();
    private bool _completed;

    /// <summary>Starts a stream for an object with the given identity.</summary>
    public ModelKeyWriter(ModelVersion version)
    {
        _version = version;
        _stream.Write(new byte[ModelHeader.Size]);
        Writer = new BinaryWriter(_stream, System.Text.Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>Little-endian writer for the model blob.</summary>
    public BinaryWriter Writer { get; }

    /// <summary>Strings referenced by id from the blob or from sibling binary streams.</summary>
    public ModelStringTable Strings { get; } = new();

    /// <summary>Writes the id of <paramref name="value"/> in this stream's string table.</summary>
    public void WriteStringId(string value) => Writer.Write(Strings.GetOrAdd(value));

    /// <summary>Writes <paramref name="values"/> as little-endian floats, as <see cref="BinaryWriter.Write(float)"/> does one by one (a wide model has millions).</summary>
    public static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            foreach (float value in values)
                writer.Write(value);
            return;
        }

        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
    }

    /// <summary>Completes the stream and returns its bytes; the writer must not be used afterwards.</summary>
    public byte[] ToArray()
    {
        if (_completed)
            throw new InvalidOperationException("The model stream has already been completed.");
        _completed = true;
        Writer.Flush();
        long modelBytes = _stream.Position - ModelHeader.Size;

        long tableOffset = 0, tableBytes = 0, charsOffset = 0, charsBytes = 0;
        if (Strings.Count > 0)
        {
            // ML.NET leaves all four fields zero when a stream has no strings.
            tableOffset = _stream.Position;
            (tableBytes, charsBytes) = Strings.WriteTo(Writer);
            charsOffset = tableOffset + tableBytes;
        }

        string assemblyName = _version.LoaderAssemblyName;
        long assemblyOffset = assemblyName.Length == 0 ? 0 : _stream.Position;
        ModelStringTable.WriteUtf16(Writer, assemblyName);
        Writer.Flush();
        long tailOffset = _stream.Position;
        Writer.Write(ModelHeader.TailSignature);
        Writer.Flush();

        var layout = new ModelHeader.Layout(
            ModelBytes: modelBytes,
            StringTableOffset: tableOffset,
            StringTableBytes: tableBytes,
            StringCharsOffset: charsOffset,
            StringCharsBytes: charsBytes,
            AssemblyNameOffset: assemblyOffset,
            AssemblyNameBytes: checked((uint)(assemblyName.Length * sizeof(char))),
            TailOffset: tailOffset,
            End: _stream.Position);

        byte[] bytes = _stream.ToArray();
        ModelHeader.Write(bytes.AsSpan(0, ModelHeader.Size), _version, layout);
        return bytes;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Writer.Dispose();
        _stream.Dispose();
    }
}
