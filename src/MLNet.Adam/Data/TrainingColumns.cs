using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Data;

/// <summary>The kind of label a trainer expects.</summary>
internal enum LabelKind
{
    /// <summary><see cref="bool"/> label: class 1 is <c>true</c>.</summary>
    Boolean,

    /// <summary>Key label of type <see cref="uint"/>: key value i+1 is class i, 0 is missing.</summary>
    Key,
}

/// <summary>
/// The validated columns of a training <see cref="IDataView"/>: what the mini-batch reader reads. Validation
/// happens here, once, with messages that name the column and what was expected (the same wording as ML.NET's
/// own trainers).
/// </summary>
internal sealed class TrainingColumns
{
    private TrainingColumns(DataViewSchema.Column features, int featureCount, DataViewSchema.Column label, LabelKind labelKind, int classCount, DataViewSchema.Column? weight)
    {
        Features = features;
        FeatureCount = featureCount;
        Label = label;
        LabelKind = labelKind;
        ClassCount = classCount;
        Weight = weight;
    }

    /// <summary>The feature column: a known-size vector of <see cref="float"/>.</summary>
    public DataViewSchema.Column Features { get; }

    /// <summary>The feature vector's size.</summary>
    public int FeatureCount { get; }

    /// <summary>The label column.</summary>
    public DataViewSchema.Column Label { get; }

    /// <summary>How labels are read.</summary>
    public LabelKind LabelKind { get; }

    /// <summary>Number of classes: 2 for a Boolean label, the key count for a key label.</summary>
    public int ClassCount { get; }

    /// <summary>The optional example weight column.</summary>
    public DataViewSchema.Column? Weight { get; }

    /// <summary>The columns a cursor must activate.</summary>
    public IEnumerable<DataViewSchema.Column> Active =>
        Weight is { } w ? new[] { Features, Label, w } : new[] { Features, Label };

    /// <summary>
    /// The same columns in validation data, which must have the training data's feature count and classes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The validation data's shape differs (parameter <c>validation</c>).</exception>
    public TrainingColumns BindValidation(DataViewSchema validation)
    {
        var bound = Bind(validation, Features.Name, Label.Name, Weight?.Name, LabelKind);
        if (bound.FeatureCount != FeatureCount || bound.ClassCount != ClassCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validation),
                $"The validation data has {bound.FeatureCount} features in column '{bound.Features.Name}' and {bound.ClassCount} classes in column '{bound.Label.Name}'; " +
                $"the training data has {FeatureCount} and {ClassCount}.");
        }

        return bound;
    }

    /// <summary>Validates <paramref name="schema"/> and binds the three columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public static TrainingColumns Bind(DataViewSchema schema, string featureColumnName, string labelColumnName, string? weightColumnName, LabelKind labelKind)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var features = Find(schema, featureColumnName, "feature");
        if (features.Type is not VectorDataViewType { ItemType: NumberDataViewType } vector || vector.ItemType != NumberDataViewType.Single || !vector.IsKnownSize)
        {
            throw Mismatch("feature", featureColumnName, "Vector<Single>", features.Type);
        }

        var label = Find(schema, labelColumnName, "label");
        int classCount;
        if (labelKind == LabelKind.Boolean)
        {
            if (label.Type != BooleanDataViewType.Instance)
            {
                throw Mismatch("label", labelColumnName, "Boolean", label.Type);
            }

            classCount = 2;
        }
        else
        {
            if (label.Type is not KeyDataViewType key || key.RawType != typeof(uint))
            {
                throw Mismatch("label", labelColumnName, "Key<UInt32>", label.Type);
            }

            if (key.Count < 2 || key.Count > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(
                    "inputSchema", $"Label column '{labelColumnName}' has {key.Count} classes; a multiclass trainer needs between 2 and {int.MaxValue}.");
            }

            classCount = (int)key.Count;
        }

        DataViewSchema.Column? weight = null;
        if (!string.IsNullOrEmpty(weightColumnName))
        {
            weight = Find(schema, weightColumnName, "weight");
            if (weight.Value.Type != NumberDataViewType.Single)
            {
                throw Mismatch("weight", weightColumnName, "Single", weight.Value.Type);
            }
        }

        return new TrainingColumns(features, vector.Size, label, labelKind, classCount, weight);
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentOutOfRangeException("inputSchema", $"The {role} column name must not be empty.");
        }

        return schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"Could not find {role} column '{name}'.");
    }

    private static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, DataViewType actual) =>
        new("inputSchema", $"Schema mismatch for {role} column '{name}': expected {expected}, got {Describe(actual)}.");

    private static string Describe(DataViewType type) => type switch
    {
        VectorDataViewType { IsKnownSize: true } v => $"Vector<{Describe(v.ItemType)}, {v.Size}>",
        VectorDataViewType v => $"VarVector<{Describe(v.ItemType)}>",
        KeyDataViewType k => $"Key<{k.RawType.Name}, {k.Count}>",
        _ => type.RawType.Name,
    };
}
