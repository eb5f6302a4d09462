using Microsoft.ML;

namespace MLNet.Adam.ModelFiles;

/// <summary>
/// Model streams of a calibrated linear binary classifier: a <c>BinaryPredictionTransformer</c> over
/// <c>ParameterMixingCalibratedModelParameters</c> holding a <c>LinearBinaryModelParameters</c> and a
/// <c>PlattCalibrator</c>.
/// </summary>
internal static class BinaryModelEntries
{
    /// <summary>Adds every entry of the transformer and of the input schema, in ML.NET's order.</summary>
    public static void AddTo(
        ModelArchive archive,
        MLContext mlContext,
        DataViewSchema trainingSchema,
        string featureColumnName,
        ReadOnlySpan<float> weights,
        float bias,
        double plattSlope,
        double plattOffset,
        float threshold,
        string thresholdColumnName)
    {
        const string model = ModelArchive.TransformerDirectory + "/Model/";
        archive.Add(model + "Predictor/" + ModelArchive.ModelKeyEntry, LinearBinaryModel(weights, bias));
        // A human-readable note ML.NET leaves next to every Platt calibrator; loaders never read it.
        archive.AddText(model + "Calibrator/Calibrator.txt",
            "Platt calibrator",
            "P(y=1|x) = 1/1+exp(A*x + B)",
            "A=" + ModelArchive.RoundTrip(plattSlope),
            "B=" + ModelArchive.RoundTrip(plattOffset));
        archive.Add(model + "Calibrator/" + ModelArchive.ModelKeyEntry, PlattCalibrator(plattSlope, plattOffset));
        archive.Add(model + ModelArchive.ModelKeyEntry, CalibratedModel());
        archive.AddSchema(mlContext, ModelArchive.TransformerDirectory + "/" + ModelArchive.TrainSchemaEntry, trainingSchema, keepHidden: false);
        archive.Add(ModelArchive.TransformerDirectory + "/" + ModelArchive.ModelKeyEntry,
            BinaryPredictionTransformer(featureColumnName, threshold, thresholdColumnName));
        archive.AddSchema(mlContext, ModelArchive.SchemaEntry, trainingSchema, keepHidden: true);
    }

    /// <summary>Blob: float size, bias, feature count, sparse indices (none: dense), weights.</summary>
    public static byte[] LinearBinaryModel(ReadOnlySpan<float> weights, float bias)
    {
        using var key = new ModelKeyWriter(StockModelVersions.LinearBinaryModel);
        var w = key.Writer;
        w.Write(sizeof(float));
        w.Write(bias);
        w.Write(weights.Length);
        w.Write(0);
        w.Write(weights.Length);
        ModelKeyWriter.WriteFloats(w, weights);
        return key.ToArray();
    }

    /// <summary>Blob: slope and offset of p = 1 / (1 + exp(slope * score + offset)), as doubles.</summary>
    public static byte[] PlattCalibrator(double slope, double offset)
    {
        using var key = new ModelKeyWriter(StockModelVersions.PlattCalibrator);
        key.Writer.Write(slope);
        key.Writer.Write(offset);
        return key.ToArray();
    }

    /// <summary>Empty blob: the predictor and the calibrator live in the sub-directories "Predictor" and "Calibrator".</summary>
    public static byte[] CalibratedModel()
    {
        using var key = new ModelKeyWriter(StockModelVersions.CalibratedModel);
        return key.ToArray();
    }

    /// <summary>Blob: feature column id, decision threshold, id of the column the threshold applies to.</summary>
    public static byte[] BinaryPredictionTransformer(string featureColumnName, float threshold, string thresholdColumnName)
    {
        using var key = new ModelKeyWriter(StockModelVersions.BinaryPredictionTransformer);
        key.WriteStringId(featureColumnName);
        key.Writer.Write(threshold);
        key.WriteStringId(thresholdColumnName);
        return key.ToArray();
    }
}
