using Microsoft.ML;
using MLNet.Adam.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Training;

/// <summary>Issue 12's gate on Fashion-MNIST (see <see cref="DefaultsParityTests"/>); a class of its own so that it runs in parallel with the other gates.</summary>
public class FashionMnistParityTests
{
    private readonly ITestOutputHelper _output;

    public FashionMnistParityTests(ITestOutputHelper output) => _output = output;

    [RequiresDataFact("fashion-mnist")]
    [Trait("Category", "Slow")]
    public void AdamMaximumEntropy_FashionMnist_WithinGateOfSdcaAndLbfgs()
    {
        var ml = new MLContext(DefaultsParityTests.Seed);
        string[] names = Enumerable.Range(0, 10).Select(i => $"class{i}").ToArray();
        var train = ml.Data.Cache(RealData.ToMulticlassView(ml, RealData.ReadFashionMnist(train: true), 784, names));
        var test = RealData.ToMulticlassView(ml, RealData.ReadFashionMnist(train: false), 784, names);
        ParityGate.Check(
            _output, "Fashion-MNIST (60,000 x 784, pixels / 255, 10 classes; the 10,000 test images)",
            DefaultsParityTests.Multiclass(ml, ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(), train, test),
            DefaultsParityTests.Multiclass(ml, ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), train, test),
            DefaultsParityTests.Multiclass(ml, ml.MulticlassClassification.Trainers.AdamMaximumEntropy(), train, test));
    }
}
