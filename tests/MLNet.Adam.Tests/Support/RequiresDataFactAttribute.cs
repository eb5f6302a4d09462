namespace MLNet.Adam.Tests.Support;

/// <summary>
/// A fact that is skipped, with the reason and the install command, when its real data set is not installed:
/// "sklearn" (breast cancer, wine), "iris", "fashion-mnist" (scripts/install-test-data.sh), "adult" and
/// "github-labeler" (files of ../shared/data beside the repository).
/// </summary>
public sealed class RequiresDataFactAttribute : FactAttribute
{
    public RequiresDataFactAttribute(string dataSet)
    {
        string? missing = dataSet switch
        {
            "sklearn" => RealData.HasSklearn ? null : $"The sklearn data set is not installed: {RealData.InstallHint}.",
            "iris" => RealData.HasIris ? null : $"The iris table is not installed: {RealData.InstallHint}.",
            "fashion-mnist" => RealData.HasFashionMnist ? null : $"The fashion-mnist data set is not installed: {RealData.InstallHint}.",
            "adult" => RealData.HasAdult ? null : $"{RealData.AdultFileName} is missing: {RealData.SharedDataHint(RealData.AdultFileName)}.",
            "github-labeler" => RealData.HasLabeler ? null : $"{RealData.LabelerFileName} is missing: {RealData.SharedDataHint(RealData.LabelerFileName)}.",
            _ => throw new ArgumentOutOfRangeException(nameof(dataSet), dataSet, "Unknown data set."),
        };
        if (missing is not null)
        {
            Skip = missing;
        }
    }
}
