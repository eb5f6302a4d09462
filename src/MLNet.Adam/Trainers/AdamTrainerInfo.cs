using Microsoft.ML;

namespace MLNet.Adam.Trainers;

/// <summary>
/// The <see cref="TrainerInfo"/> of both Adam trainers: <see cref="TrainerInfo.NeedNormalization"/> false (features
/// are standardized implicitly) and <see cref="TrainerInfo.WantCaching"/> false (the trainer reads or packs the
/// training set itself), the two flags ML.NET's public API (and AutoML) reads.
/// </summary>
/// <remarks>
/// <see cref="TrainerInfo"/>'s constructor and its other flags (calibration, validation, test and incremental
/// training support) are internal to ML.NET, read only by its legacy command-line and entry-point tools, which do not
/// run third-party estimators. A third party can therefore only reuse an instance ML.NET built: the one of ML.NET's
/// multiclass naive Bayes trainer has exactly the two public flags wanted (both false). Validation data and warm start
/// are supported through the trainers' <c>Fit</c> overloads; the model is calibrated already (probability =
/// sigmoid(score)), so ML.NET never needs to add a calibrator.
/// </remarks>
internal static class AdamTrainerInfo
{
    internal static TrainerInfo Instance { get; } = Create();

    private static TrainerInfo Create()
    {
        var info = new MLContext(0).MulticlassClassification.Trainers.NaiveBayes().Info;
        if (info.NeedNormalization || info.WantCaching)
        {
            throw new InvalidOperationException("This ML.NET version's naive Bayes trainer info no longer has normalization and caching off.");
        }

        return info;
    }
}
