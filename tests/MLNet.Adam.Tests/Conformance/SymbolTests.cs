using System.Reflection.Metadata;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Tests.Conformance;

/// <summary>
/// The libraries' PDBs (shipped in the .snupkg symbol packages) embed every source file, so a debugger shows the
/// library's code without access to this repository.
/// </summary>
public class SymbolTests
{
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Theory]
    [InlineData(typeof(AdamCatalog))]
    [InlineData(typeof(AdamOptimizer))]
    public void Pdb_OfEachLibrary_EmbedsEverySourceFile(Type typeInLibrary)
    {
        string pdb = Path.ChangeExtension(typeInLibrary.Assembly.Location, ".pdb");
        Assert.True(File.Exists(pdb), $"No PDB beside {typeInLibrary.Assembly.Location}.");
        using var stream = File.OpenRead(pdb);
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();

        var embedded = new HashSet<DocumentHandle>();
        foreach (var handle in reader.CustomDebugInformation)
        {
            var info = reader.GetCustomDebugInformation(handle);
            if (info.Parent.Kind == HandleKind.Document && reader.GetGuid(info.Kind) == EmbeddedSource)
            {
                embedded.Add((DocumentHandle)info.Parent);
            }
        }

        var sources = reader.Documents.Where(d => reader.GetString(reader.GetDocument(d).Name).EndsWith(".cs", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sources);
        var missing = sources.Where(d => !embedded.Contains(d)).Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
        Assert.True(missing.Count == 0, "Not embedded: " + string.Join(", ", missing));
    }
}
