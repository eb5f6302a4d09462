using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNet.Adam.ModelFiles;

/// <summary>
/// The entries of one ML.NET model zip, in the order ML.NET itself writes them, and their assembly into a zip.
/// </summary>
internal sealed class ModelArchive
{
    /// <summary>Directory ML.NET's <c>Model.Save</c> puts the saved transformer under.</summary>
    public const string TransformerDirectory = "TransformerChain";

    /// <summary>Entry holding the input schema that <c>Model.Load</c> returns.</summary>
    public const string SchemaEntry = "Schema";

    /// <summary>Entry, inside a prediction transformer's directory, holding its training schema.</summary>
    public const string TrainSchemaEntry = "TrainSchema";

    /// <summary>Entry name of a model stream inside its directory.</summary>
    public const string ModelKeyEntry = "Model.key";

    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly List<KeyValuePair<string, byte[]>> _entries = new();

    private (DataViewSchema Schema, bool KeepHidden, byte[] Bytes)? _lastSchema;

    /// <summary>Starts an archive with the version record ML.NET writes first into every model zip.</summary>
    public ModelArchive()
    {
        AddText("TrainingInfo/Version.txt", MachineLearningProductVersion());
    }

    /// <summary>Entries added so far, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Entries => _entries;

    /// <summary>Adds an entry with the given bytes.</summary>
    public void Add(string name, byte[] contents)
    {
        if (_entries.Exists(e => e.Key == name))
            throw new InvalidOperationException($"Duplicate model-file entry '{name}'.");
        _entries.Add(new(name, contents));
    }

    /// <summary>Adds a UTF-8 text entry, one line per element, with the platform's line ending as ML.NET uses.</summary>
    public void AddText(string name, params string[] lines)
    {
        var text = new StringBuilder();
        foreach (string line in lines)
            text.Append(line).Append(Environment.NewLine);
        Add(name, Utf8NoBom.GetBytes(text.ToString()));
    }

    /// <summary>Adds a zero-row binary IDV file describing <paramref name="schema"/>.</summary>
    public void AddSchema(MLContext mlContext, string name, DataViewSchema schema, bool keepHidden)
    {
        // A model zip holds the same schema twice (the transformer's training schema without hidden columns, the input
        // schema with them): when the two files cannot differ, the second is the first's bytes, not a second run of
        // ML.NET's binary saver.
        if (_lastSchema is { } last && ReferenceEquals(last.Schema, schema) && (last.KeepHidden == keepHidden || !HasHiddenColumns(schema)))
        {
            Add(name, last.Bytes);
            return;
        }

        using var buffer = new MemoryStream();
        mlContext.Data.SaveAsBinary(new ZeroRowDataView(schema), buffer, keepHidden);
        byte[] bytes = buffer.ToArray();
        Add(name, bytes);
        _lastSchema = (schema, keepHidden, bytes);
    }

    private static bool HasHiddenColumns(DataViewSchema schema)
    {
        foreach (var column in schema)
        {
            if (column.IsHidden)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Writes the entries as a zip archive to <paramref name="output"/>, which stays open. <paramref name="compression"/>:
    /// <see cref="CompressionLevel.Optimal"/> (as ML.NET's <c>Model.Save</c>) for files, <see cref="CompressionLevel.NoCompression"/>
    /// for a zip that is only read back from memory (deflating a wide model's weights costs more than the whole load).
    /// </summary>
    public void WriteTo(Stream output, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, contents) in _entries)
        {
            var entry = zip.CreateEntry(name, compression);
            using var stream = entry.Open();
            stream.Write(contents);
        }
    }

    /// <summary>The informational version ML.NET records as the product version of the code that wrote a model.</summary>
    private static string MachineLearningProductVersion()
    {
        var attribute = typeof(IHostEnvironment).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>();
        return attribute?.InformationalVersion
            ?? typeof(IHostEnvironment).Assembly.GetName().Version?.ToString()
            ?? string.Empty;
    }

    /// <summary>Formats a number as ML.NET's human-readable side files do (round-trip, current culture).</summary>
    public static string RoundTrip(double value) => value.ToString("R", CultureInfo.CurrentCulture);
}
