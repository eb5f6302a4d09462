using MLNet.Adam.Optimization;

namespace MLNet.Adam.Core.Tests.Optimization;

public class AdamHyperparametersTests
{
    public static TheoryData<string, float> InvalidValues() => new()
    {
        { nameof(AdamHyperparameters.LearningRate), 0f },
        { nameof(AdamHyperparameters.LearningRate), -0.5f },
        { nameof(AdamHyperparameters.LearningRate), float.NaN },
        { nameof(AdamHyperparameters.LearningRate), float.PositiveInfinity },
        { nameof(AdamHyperparameters.Beta1), 1f },
        { nameof(AdamHyperparameters.Beta1), -0.1f },
        { nameof(AdamHyperparameters.Beta1), float.NaN },
        { nameof(AdamHyperparameters.Beta2), 1f },
        { nameof(AdamHyperparameters.Beta2), 1.5f },
        { nameof(AdamHyperparameters.Beta2), float.NaN },
        { nameof(AdamHyperparameters.Epsilon), -1e-8f },
        { nameof(AdamHyperparameters.Epsilon), float.NaN },
        { nameof(AdamHyperparameters.L2Regularization), -1f },
        { nameof(AdamHyperparameters.L2Regularization), float.NaN },
        { nameof(AdamHyperparameters.WeightDecay), -0.01f },
        { nameof(AdamHyperparameters.WeightDecay), float.PositiveInfinity },
        { nameof(AdamHyperparameters.L1Regularization), -2f },
        { nameof(AdamHyperparameters.L1Regularization), float.NaN },
    };

    [Fact]
    public void Defaults_NewInstance_ComeFromAdamDefaults()
    {
        var h = new AdamHyperparameters();
        Assert.Equal(AdamDefaults.LearningRate, h.LearningRate);
        Assert.Equal(AdamDefaults.Beta1, h.Beta1);
        Assert.Equal(AdamDefaults.Beta2, h.Beta2);
        Assert.Equal(AdamDefaults.Epsilon, h.Epsilon);
        Assert.False(h.Amsgrad);
        Assert.Equal(0f, h.L2Regularization);
        Assert.Equal(0f, h.WeightDecay);
        Assert.Equal(0f, h.L1Regularization);
        Assert.False(h.RegularizeBias);
    }

    [Fact]
    public void Validate_BoundaryValues_ReturnsSameInstance()
    {
        var h = new AdamHyperparameters { Beta1 = 0f, Beta2 = 0f, Epsilon = 0f, LearningRate = float.Epsilon };
        Assert.Same(h, h.Validate());
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Validate_InvalidValue_ThrowsNamingParameterAndValue(string property, float value)
    {
        var h = property switch
        {
            nameof(AdamHyperparameters.LearningRate) => new AdamHyperparameters { LearningRate = value },
            nameof(AdamHyperparameters.Beta1) => new AdamHyperparameters { Beta1 = value },
            nameof(AdamHyperparameters.Beta2) => new AdamHyperparameters { Beta2 = value },
            nameof(AdamHyperparameters.Epsilon) => new AdamHyperparameters { Epsilon = value },
            nameof(AdamHyperparameters.L2Regularization) => new AdamHyperparameters { L2Regularization = value },
            nameof(AdamHyperparameters.WeightDecay) => new AdamHyperparameters { WeightDecay = value },
            _ => new AdamHyperparameters { L1Regularization = value },
        };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => h.Validate());
        Assert.Equal(property, e.ParamName);
        Assert.Contains(property, e.Message);
        Assert.Contains(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }
}
