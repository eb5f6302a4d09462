using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// Writes a built-in synthetic dataset to an ML.NET binary .idv file (columns Label: text, Features: float vector of
/// known size) without holding it in memory: the rows come from a lazy generator wrapped by LoadFromEnumerable, and
/// SaveAsBinary pulls them through one cursor, so memory stays flat however many rows are asked for. The file is the
/// input of the large-data comparison (<c>--data FILE.idv --no-cache</c>).
/// </summary>
internal static class SyntheticIdvWriter
{
    /// <summary>What was written.</summary>
    /// <param name="Path">Full path of the .idv file.</param>
    /// <param name="Rows">Rows written.</param>
    /// <param name="Bytes">Size of the file.</param>
    /// <param name="Seconds">Wall time of generation and writing.</param>
    internal sealed record Written(string Path, long Rows, long Bytes, double Seconds);

    public static Written Write(MLContext context, CompareOptions options)
    {
        var path = options.SaveDataFile ?? throw new InvalidOperationException("No --save-data file was given.");
        if (options.Dataset is not (BuiltInDataset.SyntheticBinary or BuiltInDataset.SyntheticMulticlass))
        {
            throw new UserInputException("--save-data writes the synthetic datasets only (--dataset synthetic-binary or synthetic-multiclass).");
        }

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new UserInputException($"The folder of --save-data '{path}' does not exist.");
        }

        int classes = options.Dataset == BuiltInDataset.SyntheticBinary ? 2 : options.Classes;
        var rows = SyntheticData.Rows(options.Rows, options.Features, classes, options.Seed);
        var view = VectorRow.ToDataView(context, rows, options.Features);

        // A partial file would look like a valid but short dataset to a later run: write aside, then rename.
        var partial = path + ".partial";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                context.Data.SaveAsBinary(view, stream);
            }

            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        return new Written(System.IO.Path.GetFullPath(path), options.Rows, new FileInfo(path).Length, watch.Elapsed.TotalSeconds);
    }
}
