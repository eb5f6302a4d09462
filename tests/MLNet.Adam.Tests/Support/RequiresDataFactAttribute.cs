namespace MLNet.Adam.Tests.Support;

/// <summary>A fact that is skipped, with the reason and the install command, when its real data set is not installed.</summary>
public sealed class RequiresDataFactAttribute : FactAttribute
{
    public RequiresDataFactAttribute(string dataSet)
    {
        bool present = dataSet switch
        {
            "sklearn" => RealData.HasSklearn,
            "fashion-mnist" => RealData.HasFashionMnist,
            _ => throw new ArgumentOutOfRangeException(nameof(dataSet), dataSet, "Unknown data set."),
        };
        if (!present)
        {
            Skip = $"The {dataSet} data set is not installed: {RealData.InstallHint}.";
        }
    }
}
