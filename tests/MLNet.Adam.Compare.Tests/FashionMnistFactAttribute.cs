using MLNet.Adam.Compare.Data;

namespace MLNet.Adam.Compare.Tests;

/// <summary>A fact that is skipped, with the reason, when the Debian package dataset-fashion-mnist is not installed.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!FashionMnist.IsInstalled())
        {
            Skip = $"Fashion-MNIST is not installed in {FashionMnist.DefaultDirectory} (apt-get install dataset-fashion-mnist).";
        }
    }
}
