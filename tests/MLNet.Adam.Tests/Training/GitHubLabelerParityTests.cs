using Microsoft.ML;
using MLNet.Adam.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Training;

/// <summary>Issue 12's gate on the GitHub issue labeler (see <see cref="DefaultsParityTests"/>); a class of its own so that it runs in parallel with the other gates.</summary>
public class GitHubLabelerParityTests
{
    private readonly ITestOutputHelper _output;

    public GitHubLabelerParityTests(ITestOutputHelper output) => _output = output;

    /// <summary>The GitHub issue labeler sample: its data pipeline and 6-fold cross-validation, the trainer swapped.</summary>
    [RequiresDataFact("github-labeler")]
    [Trait("Category", "Slow")]
    public void AdamMaximumEntropy_GitHubLabelerCrossValidated_WithinGateOfSdcaAndLbfgs()
    {
        var ml = new MLContext(DefaultsParityTests.Seed);
        var data = RealData.LoadLabeler(ml);
        ParityScore CrossValidate(IEstimator<ITransformer> trainer)
        {
            var folds = ml.MulticlassClassification.CrossValidate(data, RealData.LabelerFeaturization(ml).Append(trainer), numberOfFolds: 6, labelColumnName: "Label", seed: DefaultsParityTests.Seed);
            return new ParityScore(folds.Average(f => f.Metrics.MicroAccuracy), folds.Average(f => f.Metrics.LogLoss), folds.Average(f => f.Metrics.MacroAccuracy));
        }

        ParityGate.Check(
            _output, $"GitHub issue labeler (corefx, {DefaultsParityTests.Count(data)} issues, 22 areas; FeaturizeText on Title and Description; 6-fold cross-validation, mean of folds)",
            CrossValidate(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
            CrossValidate(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
            CrossValidate(ml.MulticlassClassification.Trainers.AdamMaximumEntropy()));
    }
}
