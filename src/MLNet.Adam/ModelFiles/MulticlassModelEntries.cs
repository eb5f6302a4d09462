using Microsoft.ML;

namespace MLNet.Adam.ModelFiles;

/// <summary>
/// Model streams of a softmax (maximum-entropy) classifier: a <c>MulticlassPredictionTransformer</c> over
/// <c>MaximumEntropyModelParameters</c>.
/// </summary>
internal static class MulticlassModelEntries
{
    /// <summary>Adds every entry of the transformer and of the input schema, in ML.NET's order.</summary>
    public static void AddTo(
        ModelArchive archive,
        MLContext mlContext,
        DataViewSchema trainingSchema,
        string featureColumnName,
        string labelColumnName,
        string scoreColumnName,
        string predictedLabelColumnName,
        int featureCount,
        int classCount,
        ReadOnlySpan<float> classMajorWeights,
        ReadOnlySpan<float> biases,
        IReadOnlyList<string>? labelNames)
    {
        const string model = ModelArchive.TransformerDirectory + "/Model/";
        using (var key = new ModelKeyWriter(StockModelVersions.MaximumEntropyModel))
        {
            WriteMaximumEntropyBlob(key.Writer, featureCount, classCount, classMajorWeights, biases);
            // The label names are ids into the model stream's own string table, stored in a sibling entry.
            if (labelNames is not null)
                archive.Add(model + "LabelNames", LabelNameIds(key.Strings, labelNames));
            archive.Add(model + ModelArchive.ModelKeyEntry, key.ToArray());
        }

        archive.AddSchema(mlContext, ModelArchive.TransformerDirectory + "/" + ModelArchive.TrainSchemaEntry, trainingSchema, keepHidden: false);
        archive.Add(ModelArchive.TransformerDirectory + "/" + ModelArchive.ModelKeyEntry,
            MulticlassPredictionTransformer(featureColumnName, labelColumnName, scoreColumnName, predictedLabelColumnName));
        archive.AddSchema(mlContext, ModelArchive.SchemaEntry, trainingSchema, keepHidden: true);
    }

    /// <summary>
    /// Blob: float size, feature count F, class count K, K biases, then the weight matrix in ML.NET's CSR layout
    /// with no row starts and no column indices (dense), K*F values, class-major.
    /// </summary>
    private static void WriteMaximumEntropyBlob(
        BinaryWriter w, int featureCount, int classCount, ReadOnlySpan<float> classMajorWeights, ReadOnlySpan<float> biases)
    {
        w.Write(sizeof(float));
        w.Write(featureCount);
        w.Write(classCount);
        foreach (float b in biases)
            w.Write(b);
        w.Write(0);
        w.Write(0);
        w.Write(classMajorWeights.Length);
        ModelKeyWriter.WriteFloats(w, classMajorWeights);
    }

    private static byte[] LabelNameIds(ModelStringTable strings, IReadOnlyList<string> labelNames)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer))
        {
            foreach (string name in labelNames)
                w.Write(strings.GetOrAdd(name));
        }
        return buffer.ToArray();
    }

    /// <summary>Blob: ids of the feature, label, score and predicted-label column names.</summary>
    public static byte[] MulticlassPredictionTransformer(
        string featureColumnName, string labelColumnName, string scoreColumnName, string predictedLabelColumnName)
    {
        using var key = new ModelKeyWriter(StockModelVersions.MulticlassPredictionTransformer);
        key.WriteStringId(featureColumnName);
        key.WriteStringId(labelColumnName);
        key.WriteStringId(scoreColumnName);
        key.WriteStringId(predictedLabelColumnName);
        return key.ToArray();
    }
}
