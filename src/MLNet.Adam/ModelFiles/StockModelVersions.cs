using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNet.Adam.ModelFiles;

/// <summary>
/// Identities of the ML.NET objects our model files contain. The signatures and versions are those ML.NET
/// 5.0.1 writes for these types; they have not changed since ML.NET 1.5, and every later ML.NET reads them.
/// Assembly names are taken from the loaded Microsoft.ML so that they always match the runtime that loads the zip.
/// </summary>
internal static class StockModelVersions
{
    /// <summary><see cref="BinaryPredictionTransformer{TModel}"/>.</summary>
    public static ModelVersion BinaryPredictionTransformer { get; } = new(
        "BIN PRED", 0x00010001, 0x00010001, "BinaryPredXfer",
        typeof(BinaryPredictionTransformer<>).Assembly.FullName!);

    /// <summary><see cref="MulticlassPredictionTransformer{TModel}"/>, version with score and predicted-label column names.</summary>
    public static ModelVersion MulticlassPredictionTransformer { get; } = new(
        "MC  PRED", 0x00010002, 0x00010001, "MulticlassPredXfer",
        typeof(MulticlassPredictionTransformer<>).Assembly.FullName!);

    /// <summary>
    /// ParameterMixingCalibratedModelParameters: a predictor and its calibrator. The type is internal; it lives in
    /// the assembly of its public base class.
    /// </summary>
    public static ModelVersion CalibratedModel { get; } = new(
        "PMIXCALP", 0x00010001, 0x00010001, "PMixCaliPredExec",
        typeof(CalibratedModelParametersBase<,>).Assembly.FullName!);

    /// <summary><see cref="LinearBinaryModelParameters"/>, version without a stored "has statistics" flag.</summary>
    public static ModelVersion LinearBinaryModel { get; } = new(
        "LINEAR2C", 0x00020002, 0x00020001, "Linear2CExec",
        typeof(LinearBinaryModelParameters).Assembly.FullName!);

    /// <summary><see cref="PlattCalibrator"/>.</summary>
    public static ModelVersion PlattCalibrator { get; } = new(
        "PLATTCAL", 0x00010001, 0x00010001, "PlattCaliExec",
        typeof(PlattCalibrator).Assembly.FullName!);

    /// <summary><see cref="MaximumEntropyModelParameters"/>.</summary>
    public static ModelVersion MaximumEntropyModel { get; } = new(
        "MULTI LR", 0x00010003, 0x00010001, "MultiClassLRExec",
        typeof(MaximumEntropyModelParameters).Assembly.FullName!);
}
