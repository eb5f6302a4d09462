using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Compare.Data;

/// <summary>A row of a generated or image dataset: a class name and a dense feature vector.</summary>
internal sealed class VectorRow
{
    public string Label { get; set; } = string.Empty;

    public float[] Features { get; set; } = [];

    /// <summary>An in-memory view of <paramref name="rows"/> whose Features column has the known size <paramref name="featureCount"/>.</summary>
    public static IDataView ToDataView(MLContext context, IEnumerable<VectorRow> rows, int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return context.Data.LoadFromEnumerable(rows, schema);
    }
}
