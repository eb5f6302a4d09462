using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.ModelFiles;

/// <summary>The class names ML.NET's maximum-entropy trainer stores with its model.</summary>
internal static class MulticlassLabelNames
{
    // ML.NET's annotation kind for the values behind a key type; the constant itself is internal.
    private const string KeyValuesKind = "KeyValues";

    /// <summary>
    /// Returns the label column's text key values when there is one per class, each non-empty and all distinct;
    /// otherwise <see langword="null"/> (ML.NET then names classes "Class_k" in summaries). Predictions do not
    /// depend on this: predicted-label names come from the training schema.
    /// </summary>
    public static IReadOnlyList<string>? FromKeyValues(DataViewSchema schema, string labelColumnName, int classCount)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(labelColumnName);
        var keyValuesType = column?.Annotations.Schema.GetColumnOrNull(KeyValuesKind)?.Type;
        if (column is null
            || keyValuesType is not VectorDataViewType { ItemType: TextDataViewType } vector
            || vector.Size != classCount)
            return null;

        VBuffer<ReadOnlyMemory<char>> values = default;
        column.Value.GetKeyValues(ref values);
        if (!values.IsDense)
            return null;

        var names = new string[classCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var span = values.GetValues();
        for (int i = 0; i < classCount; i++)
        {
            string name = span[i].ToString();
            if (name.Length == 0 || !seen.Add(name))
                return null;
            names[i] = name;
        }
        return names;
    }
}
