using Microsoft.ML;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Training;

public class RegularizationAndWeightingTests
{
    [Theory]
    [MemberData(nameof(TrainerCase.Names), MemberType = typeof(TrainerCase))]
    public void Fit_StrongL1_GivesExactZeroWeights(string name)
    {
        var c = TrainerCase.Get(name);
        var ml = new MLContext(1);
        var plain = c.Weights(c.Create(ml, null).Fit(c.Data(ml)));
        var sparse = c.Weights(c.Create(ml, o => o.L1Regularization = 40).Fit(c.Data(ml)));
        Assert.DoesNotContain(0f, plain);
        Assert.Contains(0f, sparse);
    }

    [Fact]
    public void Fit_WeightDecayAndL2_ShrinkWeights()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Binary(ml);
        double Norm(Action<AdamTrainerOptionsBase> configure) => TrainerCase.Binary.Weights(TrainerCase.Binary.Create(ml, configure).Fit(data)).SkipLast(1).Sum(w => w * w);
        double baseline = Norm(o => o.L2Regularization = 0);
        double decayed = Norm(o => { o.L2Regularization = 0; o.WeightDecay = 0.5f; });
        double penalized = Norm(o => o.L2Regularization = 200);
        Assert.True(decayed < baseline * 0.9, $"decay {decayed} vs {baseline}");
        Assert.True(penalized < baseline * 0.9, $"L2 {penalized} vs {baseline}");
    }

    [Fact]
    public void Fit_AmsgradAndClipping_Train()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Multiclass(ml);
        double plain = TrainerCase.Multiclass.Accuracy(ml, TrainerCase.Multiclass.Create(ml, null).Fit(data).Transform(data));
        var model = TrainerCase.Multiclass.Create(ml, o => { o.Amsgrad = true; o.GradientClipNorm = 0.1f; }).Fit(data);
        double variant = TrainerCase.Multiclass.Accuracy(ml, model.Transform(data));
        Assert.True(variant > plain - 0.03, $"AMSGrad with clipping {variant} vs plain {plain}");
    }

    [Fact]
    public void Fit_ExampleWeightTwo_ActsLikeTheRowTwice()
    {
        var ml = new MLContext(1);
        var rows = Synthetic.BinaryRows(150, 4, 5);
        var weighted = rows.Select((r, i) => new Synthetic.BinaryRow { Label = r.Label, Features = r.Features, Weight = i % 3 == 0 ? 2 : 1 }).ToList();
        var duplicated = rows.SelectMany((r, i) => i % 3 == 0 ? new[] { r, r } : new[] { r }).ToList();

        // Full-batch training makes the two objectives identical step by step, up to float rounding of the sums.
        float[] Train(List<Synthetic.BinaryRow> data, string? weightColumn) => TrainerCase.Binary.Weights(
            new AdamLogisticRegressionBinaryTrainer(ml, new() { ExampleWeightColumnName = weightColumn, BatchSize = 1000, Shuffle = false, NumberOfEpochs = 300, L2Regularization = 1 })
                .Fit(Synthetic.BinaryView(ml, data, 4)));

        var fromWeights = Train(weighted, "Weight");
        var fromCopies = Train(duplicated, null);
        var unweighted = Train(rows, null);
        for (int i = 0; i < fromWeights.Length; i++)
        {
            Assert.Equal(fromCopies[i], fromWeights[i], 2);
        }

        Assert.True(fromWeights.Zip(unweighted).Max(p => Math.Abs(p.First - p.Second)) > 0.02, "Weights should change the model.");
    }

    [Fact]
    public void Fit_BalancedClassWeights_RaiseMinorityRecall()
    {
        var ml = new MLContext(1);
        var rows = Synthetic.BinaryRows(3000, 4, 7, noise: 2).Where((r, i) => r.Label || i % 8 == 0).ToList();
        var data = Synthetic.BinaryView(ml, rows, 4);
        double MinorityRecall(ClassWeighting weighting, float[]? custom = null)
        {
            var trainer = new AdamLogisticRegressionBinaryTrainer(ml, new() { ClassWeighting = weighting, ClassWeights = custom });
            var metrics = ml.BinaryClassification.Evaluate(trainer.Fit(data).Transform(data));
            return metrics.NegativeRecall;
        }

        double none = MinorityRecall(ClassWeighting.None);
        double balanced = MinorityRecall(ClassWeighting.Balanced);
        double custom = MinorityRecall(ClassWeighting.Custom, [6f, 1f]);
        Assert.True(balanced > none + 0.1, $"balanced {balanced} vs none {none}");
        Assert.True(custom > none + 0.1, $"custom {custom} vs none {none}");
    }

    [Fact]
    public void Fit_CustomClassWeightsOfWrongLength_ThrowsNamingOption()
    {
        var ml = new MLContext(1);
        var trainer = new AdamMaximumEntropyMulticlassTrainer(ml, new() { ClassWeighting = ClassWeighting.Custom, ClassWeights = [1f, 2f] });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(Synthetic.Multiclass(ml)));
        Assert.Equal("ClassWeights", error.ParamName);
    }
}
