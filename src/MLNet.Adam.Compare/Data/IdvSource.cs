using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// Loads an ML.NET binary .idv file. A known-size float vector column named Features is used as is; otherwise float
/// columns are numeric features and text columns are profiled (categorical or text) as in a CSV. The label may be
/// text, bool, a number or a key; it is converted to text so that the task is inferred the same way as for CSV.
/// </summary>
internal static class IdvSource
{
    private const string LabelText = "__LabelText";

    public static bool IsIdvPath(string path) => path.EndsWith(".idv", StringComparison.OrdinalIgnoreCase);

    public static LoadedData Load(MLContext context, CompareOptions options)
    {
        var raw = Open(context, options.DataFile!);
        var labelColumn = FindLabel(raw.Schema, options.LabelColumn, options.DataFile!);
        var toText = LabelToText(context, labelColumn);
        var data = toText.Fit(raw).Transform(raw);
        var labelProfile = Profile(data, LabelText, LabelPlan.MaxClasses);
        if (labelProfile.Missing > 0)
        {
            throw new UserInputException($"{labelProfile.Missing} rows of '{Path.GetFileName(options.DataFile)}' have an empty label '{labelColumn.Name}'; remove them.");
        }

        var label = LabelPlan.Create(LabelText, labelProfile.Distinct, labelProfile.DistinctOverflow, options.Task, labelColumn.Name);
        var features = new FeaturizationPlan([.. FeatureColumns(data.Schema, labelColumn.Name).Select(c => Decide(data, c))]);
        IDataView? test = null;
        if (options.TestFile is { } testPath)
        {
            var rawTest = Open(context, testPath);
            FindLabel(rawTest.Schema, labelColumn.Name, testPath);
            test = toText.Fit(rawTest).Transform(rawTest);
        }

        long? rows = raw.GetRowCount();
        return new LoadedData(data, test, label, features, $"{Path.GetFileName(options.DataFile)} (binary IDV{(rows is { } n ? $", {n} rows" : string.Empty)})");
    }

    private static IDataView Open(MLContext context, string path)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"The data file '{path}' does not exist.");
        }

        try
        {
            var view = context.Data.LoadFromBinary(path);
            _ = view.Schema.Count;
            return view;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException or IOException or ArgumentException)
        {
            throw new UserInputException($"'{path}' is not a readable ML.NET binary .idv file: {e.Message}");
        }
    }

    private static DataViewSchema.Column FindLabel(DataViewSchema schema, string name, string path)
    {
        var visible = schema.Where(c => !c.IsHidden).ToList();
        var matches = visible.Where(c => c.Name == name).Concat(visible.Where(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))).ToList();
        return matches.Count == 0
            ? throw new UserInputException($"The label column '{name}' is not in '{Path.GetFileName(path)}'. Columns: {string.Join(", ", visible.Select(c => c.Name))}. Choose one with --label NAME.")
            : matches[0];
    }

    private static IEstimator<ITransformer> LabelToText(MLContext context, DataViewSchema.Column label)
    {
        if (label.Type is TextDataViewType)
        {
            return context.Transforms.CopyColumns(LabelText, label.Name);
        }

        if (label.Type is KeyDataViewType && label.HasKeyValues())
        {
            return context.Transforms.Conversion.MapKeyToValue(LabelText, label.Name)
                .Append(context.Transforms.Conversion.ConvertType(LabelText, LabelText, DataKind.String));
        }

        return context.Transforms.Conversion.ConvertType(LabelText, label.Name, DataKind.String);
    }

    private static IEnumerable<DataViewSchema.Column> FeatureColumns(DataViewSchema schema, string label)
    {
        var visible = schema.Where(c => !c.IsHidden && c.Name != label && c.Name != LabelText).ToList();
        var features = visible.FirstOrDefault(c => c.Name == FeaturizationPlan.FeatureColumn);
        return visible.Any(c => c.Name == FeaturizationPlan.FeatureColumn) && features.Type is VectorDataViewType { ItemType: NumberDataViewType n, IsKnownSize: true } && n.RawType == typeof(float)
            ? [features]
            : visible;
    }

    private static ColumnDecision Decide(IDataView data, DataViewSchema.Column column)
    {
        var itemType = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
        if (itemType.RawType == typeof(float) && (column.Type is not VectorDataViewType v || v.IsKnownSize))
        {
            return FeaturizationPlan.Decide(new ColumnProfile(column.Name, column.Index) { IsNumericVector = true });
        }

        if (column.Type is TextDataViewType)
        {
            return FeaturizationPlan.Decide(Profile(data, column.Name, ColumnProfile.CategoricalLimit));
        }

        return new ColumnDecision(column.Name, ColumnKind.Ignored, $"type {column.Type} is not supported: convert it to Single or text");
    }

    private static ColumnProfile Profile(IDataView data, string name, int distinctCap)
    {
        var column = data.Schema[name];
        var profile = new ColumnProfile(name, column.Index, distinctCap);
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            profile.Add(value.ToString());
        }

        return profile;
    }
}
