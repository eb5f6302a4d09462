using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.ModelFiles;

/// <summary>
/// Argument checks for the model-file writers. A zip that ML.NET loads but scores wrongly is worse than an
/// exception, so everything the loaders would not catch is checked here.
/// </summary>
internal static class ModelFileArguments
{
    public static void CheckOutput(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
            throw new ArgumentException("The output stream is not writable.", nameof(output));
    }

    public static void CheckShape(int featureCount, int classCount, int weightCount, int biasCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if ((long)featureCount * classCount != weightCount)
            throw new ArgumentException(
                $"Expected {classCount} x {featureCount} = {(long)featureCount * classCount} weights, got {weightCount}.", "classMajorWeights");
        if (biasCount != classCount)
            throw new ArgumentException($"Expected {classCount} biases, got {biasCount}.", "biases");
    }

    public static void CheckFeatureColumn(DataViewSchema schema, string featureColumnName, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        var column = schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentException($"The training schema has no column '{featureColumnName}'.", nameof(featureColumnName));
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType itemType, IsKnownSize: true } vector
            || itemType != NumberDataViewType.Single)
            throw new ArgumentException(
                $"Column '{featureColumnName}' must be a known-size vector of Single, but is {column.Type}.", nameof(featureColumnName));
        if (vector.Size != featureCount)
            throw new ArgumentException(
                $"Column '{featureColumnName}' has {vector.Size} slots but the model has {featureCount} weights per class.", nameof(featureColumnName));
    }

    public static void CheckKeyLabelColumn(DataViewSchema schema, string labelColumnName, int classCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        var column = schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentException($"The training schema has no column '{labelColumnName}'.", nameof(labelColumnName));
        // The scorer maps class k to key value k + 1 and takes PredictedLabel's type from this column.
        if (column.Type is not KeyDataViewType key)
            throw new ArgumentException($"Column '{labelColumnName}' must be a key column, but is {column.Type}.", nameof(labelColumnName));
        if (key.Count != (ulong)classCount)
            throw new ArgumentException(
                $"Column '{labelColumnName}' has {key.Count} key values but the model has {classCount} classes.", nameof(labelColumnName));
    }

    public static void CheckLabelNames(IReadOnlyList<string>? labelNames, int classCount)
    {
        if (labelNames is null)
            return;
        if (labelNames.Count != classCount)
            throw new ArgumentException($"Expected {classCount} label names, got {labelNames.Count}.", nameof(labelNames));
        for (int i = 0; i < labelNames.Count; i++)
        {
            // ML.NET's loader rejects a model file holding an empty label name.
            if (string.IsNullOrEmpty(labelNames[i]))
                throw new ArgumentException($"Label name {i} is null or empty.", nameof(labelNames));
        }
    }

    public static void CheckFinite(ReadOnlySpan<float> values, string parameterName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"Value {i} is {values[i]}; model parameters must be finite.", parameterName);
        }
    }
}
