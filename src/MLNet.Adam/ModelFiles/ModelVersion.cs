namespace MLNet.Adam.ModelFiles;

/// <summary>
/// Identity of one model stream in ML.NET's model-file format: what the header says about the object stored,
/// and which registered loader ML.NET must call to read it back.
/// </summary>
/// <param name="ModelSignature">Eight ASCII characters naming the format (ML.NET stores spaces as zero bytes).</param>
/// <param name="VersionWritten">Format version of the blob we write.</param>
/// <param name="VersionReadable">Oldest reader version able to read the blob.</param>
/// <param name="LoaderSignature">Registered loader name, at most 24 ASCII characters.</param>
/// <param name="LoaderAssemblyName">Full name of the assembly that registers the loader.</param>
internal readonly record struct ModelVersion(
    string ModelSignature,
    uint VersionWritten,
    uint VersionReadable,
    string LoaderSignature,
    string LoaderAssemblyName);
