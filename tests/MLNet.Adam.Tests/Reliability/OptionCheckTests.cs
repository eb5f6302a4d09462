using Microsoft.ML;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Reliability;

/// <summary>Options that cannot work together fail when the trainer is created, naming the options the user set.</summary>
public class OptionCheckTests
{
    public static TheoryData<string> Names => TrainerCase.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Constructor_EpsilonZero_ThrowsNamingEpsilonAndWhy(string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TrainerCase.Get(name).Create(new MLContext(1), o => o.Epsilon = 0));
        Assert.Equal("Epsilon", error.ParamName);
        Assert.Contains("Option Epsilon must be a positive finite number", error.Message);
        Assert.Contains("divides by 0", error.Message);
        Assert.Contains("got 0", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(-1e-8f)]
    [InlineData(float.PositiveInfinity)]
    public void Constructor_EpsilonInvalid_ThrowsNamingEpsilon(float epsilon)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamLogisticRegressionBinaryTrainer(new MLContext(1), new() { Epsilon = epsilon }));
        Assert.Equal("Epsilon", error.ParamName);
    }

    [Fact]
    public void Fit_TinyEpsilonOnAllZeroFeature_TrainsFiniteWeights()
    {
        // The smallest positive epsilon rounds to 0 in the bias-corrected update; the optimizer keeps it finite.
        var ml = new MLContext(1);
        var rows = Synthetic.BinaryRows(200, 4, 3);
        rows.ForEach(r => r.Features[2] = 0);
        var model = new AdamLogisticRegressionBinaryTrainer(ml, new() { Epsilon = float.Epsilon, NumberOfEpochs = 5, Standardization = FeatureStandardization.Off })
            .Fit(Synthetic.BinaryView(ml, rows, 4));
        Assert.All(model.Model.SubModel.Weights, w => Assert.True(float.IsFinite(w)));
    }

    [Theory]
    [InlineData(5f, 5)]
    [InlineData(7.5f, 5)]
    public void Constructor_CosineWarmupNotBeforeLastEpoch_NamesBothOptionsAndValues(float warmup, int epochs)
    {
        var options = new AdamMaximumEntropyMulticlassTrainer.Options { NumberOfEpochs = epochs };
        options.Schedule.Kind = LearningRateScheduleKind.Cosine;
        options.Schedule.WarmupEpochs = warmup;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamMaximumEntropyMulticlassTrainer(new MLContext(1), options));
        Assert.Equal("Schedule.WarmupEpochs", error.ParamName);
        Assert.Contains($"Schedule.WarmupEpochs = {warmup.ToString(System.Globalization.CultureInfo.InvariantCulture)}", error.Message);
        Assert.Contains($"NumberOfEpochs = {epochs}", error.Message);
        Assert.Contains("Cosine", error.Message);
    }

    [Fact]
    public void Fit_CosineWarmupRoundingToEveryStep_NamesBothOptionsAndSteps()
    {
        // 40 rows in batches of 16 are 3 steps per epoch: 1.9 warm-up epochs round to all 6 steps of 2 epochs.
        var ml = new MLContext(1);
        var options = new AdamLogisticRegressionBinaryTrainer.Options { NumberOfEpochs = 2, BatchSize = 16 };
        options.Schedule.Kind = LearningRateScheduleKind.Cosine;
        options.Schedule.WarmupEpochs = 1.9f;
        var trainer = new AdamLogisticRegressionBinaryTrainer(ml, options);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(Synthetic.Binary(ml, rows: 40)));
        Assert.Equal("Schedule.WarmupEpochs", error.ParamName);
        Assert.Contains("Schedule.WarmupEpochs = 1.9 gives 6 warm-up steps", error.Message);
        Assert.Contains("NumberOfEpochs = 2 gives only 6 steps", error.Message);
    }

    [Fact]
    public void Fit_CosineWarmupShorterThanTraining_Trains()
    {
        var ml = new MLContext(1);
        var options = new AdamLogisticRegressionBinaryTrainer.Options { NumberOfEpochs = 4, BatchSize = 16 };
        options.Schedule.Kind = LearningRateScheduleKind.Cosine;
        options.Schedule.WarmupEpochs = 3.5f;
        Assert.NotNull(new AdamLogisticRegressionBinaryTrainer(ml, options).Fit(Synthetic.Binary(ml, rows: 40)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Constructor_AllZeroClassWeights_SaysTheyAreAllZero(string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TrainerCase.Get(name).Create(new MLContext(1), o =>
        {
            o.ClassWeighting = ClassWeighting.Custom;
            o.ClassWeights = name == "binary" ? [0, 0] : [0, 0, 0, 0];
        }));
        Assert.Equal("ClassWeights", error.ParamName);
        Assert.Contains("the class weights are all zero", error.Message);
        Assert.DoesNotContain("column ''", error.Message);
    }

    [Fact]
    public void Fit_ClassWeightsZeroForEveryPresentClass_SaysSoInsteadOfNamingAColumn()
    {
        var ml = new MLContext(1);
        var rows = Synthetic.BinaryRows(100, 3, 1);
        rows.ForEach(r => r.Label = false);
        var trainer = new AdamLogisticRegressionBinaryTrainer(ml, new() { ClassWeighting = ClassWeighting.Custom, ClassWeights = [0, 1], ExampleWeightColumnName = null });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(Synthetic.BinaryView(ml, rows, 3)));
        Assert.Equal("ClassWeights", error.ParamName);
        Assert.Contains("weight 0 to every class present in the training data (class 0)", error.Message);
    }

    [Theory]
    [InlineData("binary", ClassWeighting.None)]
    [InlineData("binary", ClassWeighting.Balanced)]
    [InlineData("multiclass", ClassWeighting.None)]
    [InlineData("multiclass", ClassWeighting.Balanced)]
    public void Constructor_ClassWeightsWithoutCustomWeighting_ThrowsNamingBothOptions(string name, ClassWeighting weighting)
    {
        var error = Assert.Throws<ArgumentException>(() => TrainerCase.Get(name).Create(new MLContext(1), o =>
        {
            o.ClassWeighting = weighting;
            o.ClassWeights = [1, 2];
        }));
        Assert.IsType<ArgumentException>(error);
        Assert.Equal("ClassWeights", error.ParamName);
        Assert.Contains("Option ClassWeights is set ([1, 2])", error.Message);
        Assert.Contains($"option ClassWeighting is {weighting}", error.Message);
        Assert.Contains("ClassWeighting.Custom", error.Message);
    }

    [Fact]
    public void Constructor_CustomWeightingWithoutWeights_ThrowsNamingClassWeights()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamLogisticRegressionBinaryTrainer(new MLContext(1), new() { ClassWeighting = ClassWeighting.Custom }));
        Assert.Equal("ClassWeights", error.ParamName);
        Assert.Contains("when ClassWeighting is Custom", error.Message);
    }
}
