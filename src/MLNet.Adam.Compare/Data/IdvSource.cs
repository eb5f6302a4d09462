using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Data;

/// <summary>
/// Loads a typed data view: an ML.NET binary .idv file, or a text file with a '#@ TextLoader{...}' schema header (read by
/// TextLoader itself, exactly as ML.NET reads it). A known-size float vector column named Features is used as is;
/// otherwise float columns (scalar or vector) are numeric features and text columns are profiled (categorical or text)
/// as in a CSV. The label may be text, bool, a number or a key; it is converted to text so that the task is inferred
/// the same way as for CSV.
/// </summary>
internal static class IdvSource
{
    private const string LabelText = "__LabelText";

    /// <summary>A text vector column with at most this many distinct values (over all its slots) is one-hot encoded slot by slot.</summary>
    public const int VectorCategoricalLimit = 1000;

    public static bool IsIdvPath(string path) => path.EndsWith(".idv", StringComparison.OrdinalIgnoreCase);

    public static LoadedData Load(MLContext context, CompareOptions options)
    {
        var raw = Open(context, options.DataFile!);
        var rawTest = options.TestFile is { } testPath ? Open(context, testPath) : null;
        long? rows = raw.GetRowCount();
        return FromView(context, options, raw, rawTest, $"{Path.GetFileName(options.DataFile)} (binary IDV{(rows is { } n ? $", {n} rows" : string.Empty)})");
    }

    /// <summary>
    /// A text file whose leading comment lines hold a '#@ TextLoader{...}' schema: ML.NET's TextLoader parses it (columns,
    /// types, separator, header) when it is created with default options and the file as sample, as
    /// <c>mlContext.Data.LoadFromTextFile(path)</c> does. Reading options would make TextLoader ignore the schema, so they are refused.
    /// </summary>
    public static LoadedData LoadEmbeddedSchema(MLContext context, CompareOptions options, int commentLines)
    {
        var path = options.DataFile!;
        if (options.HasHeader is not null || options.Separator is not null || options.DecimalMarker is not null)
        {
            throw new UserInputException(
                $"'{Path.GetFileName(path)}' declares its own schema in a '#@ TextLoader{{...}}' header (columns, types, separator, header), " +
                "which TextLoader ignores when reading options are given: drop --has-header, --separator and --decimal-marker.");
        }

        TextLoader loader;
        IDataView raw;
        long rows = 0;
        try
        {
            loader = context.Data.CreateTextLoader(new TextLoader.Options(), new MultiFileSource(path));
            raw = loader.Load(path);
            using var cursor = raw.GetRowCursor([]);
            while (cursor.MoveNext())
            {
                rows++;
            }

            if (rows == 0)
            {
                throw new UserInputException($"The file '{path}' has a '#@ TextLoader{{...}}' schema but no data rows.");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new UserInputException($"The '#@ TextLoader{{...}}' schema header of '{Path.GetFileName(path)}' cannot be read by TextLoader: {e.Message}");
        }

        var rawTest = options.TestFile is { } testPath ? loader.Load(testPath) : null;
        return FromView(
            context, options, raw, rawTest,
            $"{Path.GetFileName(path)} ({rows} rows; schema from its '#@ TextLoader{{...}}' header, read by TextLoader; {commentLines} comment line(s))");
    }

    private static LoadedData FromView(MLContext context, CompareOptions options, IDataView raw, IDataView? rawTest, string source)
    {
        var file = Path.GetFileName(options.DataFile!);
        var labelColumn = FindLabel(raw.Schema, options.LabelColumn, options.DataFile!);
        var ignored = IgnoredColumns(raw.Schema, options.IgnoreColumns, labelColumn, file);
        var toText = LabelToText(context, labelColumn);
        var data = toText.Fit(raw).Transform(raw);
        var labelProfile = Profile(data, LabelText, LabelPlan.MaxClasses);
        if (labelProfile.Missing > 0)
        {
            throw new UserInputException($"{labelProfile.Missing} rows of '{file}' have an empty label '{labelColumn.Name}'; remove them.");
        }

        bool numeric = labelColumn.Type is NumberDataViewType || (labelColumn.Type is TextDataViewType && labelProfile.AllNumeric);
        var label = LabelPlan.Create(LabelText, labelProfile.Distinct, labelProfile.DistinctOverflow, options.Task, labelColumn.Name, options.PositiveClass, numeric);
        var features = new FeaturizationPlan([.. FeatureColumns(data.Schema, labelColumn.Name, ignored)
            .Select(c => ignored.Contains(c.Name) ? new ColumnDecision(c.Name, ColumnKind.Ignored, "--ignore-cols") : Decide(data, c))]);
        IDataView? test = null;
        if (rawTest is not null)
        {
            FindLabel(rawTest.Schema, labelColumn.Name, options.TestFile!);
            test = toText.Fit(rawTest).Transform(rawTest);
        }

        return new LoadedData(data, test, label, features, source);
    }

    private static HashSet<string> IgnoredColumns(DataViewSchema schema, IReadOnlyList<string> names, DataViewSchema.Column label, string file)
    {
        var visible = schema.Where(c => !c.IsHidden).Select(c => c.Name).ToList();
        var ignored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            int index = ColumnNames.Resolve(visible, name);
            if (index < 0)
            {
                throw new UserInputException($"--ignore-cols: the column '{name}' is not in '{file}'. Columns: {string.Join(", ", visible)}.");
            }

            if (visible[index] == label.Name)
            {
                throw new UserInputException($"--ignore-cols names the label column '{label.Name}'; the label is never a feature.");
            }

            ignored.Add(visible[index]);
        }

        return ignored;
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
        int index = ColumnNames.Resolve([.. visible.Select(c => c.Name)], name);
        return index < 0
            ? throw new UserInputException($"The label column '{name}' is not in '{Path.GetFileName(path)}'. Columns: {string.Join(", ", visible.Select(c => c.Name))}. Choose one with --label NAME (or its zero-based position).")
            : visible[index];
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

    private static IEnumerable<DataViewSchema.Column> FeatureColumns(DataViewSchema schema, string label, IReadOnlySet<string> ignored)
    {
        var visible = schema.Where(c => !c.IsHidden && c.Name != label && c.Name != LabelText).ToList();
        var features = visible.FirstOrDefault(c => c.Name == FeaturizationPlan.FeatureColumn);
        bool featuresVector = visible.Any(c => c.Name == FeaturizationPlan.FeatureColumn) && !ignored.Contains(FeaturizationPlan.FeatureColumn) &&
            features.Type is VectorDataViewType { ItemType: NumberDataViewType n, IsKnownSize: true } && n.RawType == typeof(float);
        return featuresVector ? [features, .. visible.Where(c => ignored.Contains(c.Name))] : visible;
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

        if (column.Type is VectorDataViewType { ItemType: TextDataViewType, IsKnownSize: true } textVector)
        {
            var profile = ProfileVector(data, column, VectorCategoricalLimit);
            return profile.Present == 0 ? new ColumnDecision(column.Name, ColumnKind.Ignored, "no values")
                : profile.DistinctOverflow ? new ColumnDecision(column.Name, ColumnKind.Ignored, $"text vector with more than {VectorCategoricalLimit} distinct values")
                : new ColumnDecision(column.Name, ColumnKind.Categorical, $"text vector of {textVector.Size}, {profile.Distinct.Count} distinct strings");
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

    private static ColumnProfile ProfileVector(IDataView data, DataViewSchema.Column column, int distinctCap)
    {
        var profile = new ColumnProfile(column.Name, column.Index, distinctCap);
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> values = default;
        while (cursor.MoveNext() && !profile.DistinctOverflow)
        {
            getter(ref values);
            foreach (var value in values.DenseValues())
            {
                profile.Add(value.ToString());
            }
        }

        return profile;
    }
}
