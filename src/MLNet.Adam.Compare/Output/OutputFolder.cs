namespace MLNet.Adam.Compare.Output;

/// <summary>The --output folder, checked before anything is loaded or trained so that a long run cannot end unable to write its results.</summary>
internal static class OutputFolder
{
    /// <summary>Creates the folder if needed and proves it writable by writing and deleting a small file; throws <see cref="UserInputException"/> otherwise.</summary>
    public static void Check(string path)
    {
        if (File.Exists(path))
        {
            throw new UserInputException($"--output '{path}' is a file; give a folder (it is created if missing).");
        }

        var probe = Path.Combine(path, $".write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(path);
            File.WriteAllText(probe, "MLNet.Adam.Compare checks that it can write here.");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UserInputException($"--output '{path}' is not a folder the tool can write to: {e.Message}");
        }
    }
}
