// LoadCheck: proves that a model zip written by MLNet.Adam is an ordinary ML.NET model. This program references
// only Microsoft.ML. Usage: LoadCheck <model.zip> <data.idv|data.csv> <out.tsv>
//   data.idv: an ML.NET binary data file with (at least) the model's feature column.
//   data.csv: a header line, then one row per example holding only the feature slots, comma-separated.
// Writes one line per row: Score (vector slots joined by ','), Probability (binary models only) and
// PredictedLabel (the key's value name for multiclass models when the label had key values).
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: LoadCheck <model.zip> <data.idv|data.csv> <out.tsv>");
    return 2;
}

var mlContext = new MLContext(seed: 0);
ITransformer model = mlContext.Model.Load(args[0], out DataViewSchema? inputSchema);
IDataView data = LoadData(mlContext, args[1], model, inputSchema);
IDataView scored = model.Transform(data);
int rows = PredictionTable.Write(scored, args[2]);
Console.WriteLine($"{model.GetType().Name}: wrote {rows} rows to {args[2]}");
return 0;

static IDataView LoadData(MLContext mlContext, string path, ITransformer model, DataViewSchema? inputSchema)
{
    if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        return mlContext.Data.LoadFromBinary(path);

    if (model is not ISingleFeaturePredictionTransformer<object> predictor || inputSchema is null)
        throw new InvalidOperationException("A CSV input needs a prediction transformer saved with its input schema.");
    var featureType = (VectorDataViewType)inputSchema[predictor.FeatureColumnName].Type;
    var columns = new[] { new TextLoader.Column(predictor.FeatureColumnName, DataKind.Single, 0, featureType.Size - 1) };
    return mlContext.Data.LoadFromTextFile(path, columns, separatorChar: ',', hasHeader: true);
}

internal static class PredictionTable
{
    public static int Write(IDataView scored, string path)
    {
        var schema = scored.Schema;
        var score = schema["Score"];
        var probability = schema.GetColumnOrNull("Probability");
        var predicted = schema["PredictedLabel"];

        using var writer = new StreamWriter(path);
        writer.WriteLine(probability is null ? "Score\tPredictedLabel" : "Score\tProbability\tPredictedLabel");

        var active = probability is null ? new[] { score, predicted } : new[] { score, probability.Value, predicted };
        using var cursor = scored.GetRowCursor(active);
        Func<string> readScore = TextGetter(cursor, score);
        Func<string>? readProbability = probability is null ? null : TextGetter(cursor, probability.Value);
        Func<string> readPredicted = TextGetter(cursor, predicted);
        int rows = 0;
        while (cursor.MoveNext())
        {
            writer.Write(readScore());
            if (readProbability is not null)
                writer.Write("\t" + readProbability());
            writer.WriteLine("\t" + readPredicted());
            rows++;
        }
        return rows;
    }

    private static Func<string> TextGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case NumberDataViewType when column.Type.RawType == typeof(float):
            {
                var get = cursor.GetGetter<float>(column);
                float value = 0;
                return () => { get(ref value); return Format(value); };
            }
            case BooleanDataViewType:
            {
                var get = cursor.GetGetter<bool>(column);
                bool value = false;
                return () => { get(ref value); return value ? "True" : "False"; };
            }
            case VectorDataViewType { ItemType: NumberDataViewType } when column.Type.RawType == typeof(VBuffer<float>):
            {
                var get = cursor.GetGetter<VBuffer<float>>(column);
                VBuffer<float> value = default;
                return () => { get(ref value); return string.Join(",", value.DenseValues().Select(Format)); };
            }
            case KeyDataViewType:
                return KeyGetter(cursor, column);
            default:
                throw new InvalidOperationException($"Column '{column.Name}' has unsupported type {column.Type}.");
        }
    }

    private static Func<string> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var get = cursor.GetGetter<uint>(column);
        uint key = 0;
        string[]? names = null;
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<ReadOnlyMemory<char>> keyValues = default;
            column.GetKeyValues(ref keyValues);
            names = keyValues.DenseValues().Select(v => v.ToString()).ToArray();
        }
        // Key 0 means missing; key k names value k - 1.
        return () =>
        {
            get(ref key);
            return names is not null && key > 0 ? names[key - 1] : key.ToString(CultureInfo.InvariantCulture);
        };
    }

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
