using System.Reflection;
using Microsoft.ML;

namespace MLNet.Adam.Tests.Support;

/// <summary>
/// ML.NET builds a <see cref="SchemaShape"/> from a schema with an internal factory; tests use it as an oracle
/// (pipelines pass shapes between estimators, which tests cannot do without a public constructor).
/// </summary>
public static class SchemaShapes
{
    public static SchemaShape Of(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;
}
