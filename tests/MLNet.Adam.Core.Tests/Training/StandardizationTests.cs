using MLNet.Adam.Kernels;
using MLNet.Adam.Training;

namespace MLNet.Adam.Core.Tests.Training;

public class StandardizationTests
{
    public static TheoryData<int, bool, bool> Shapes => new()
    {
        { 1, false, false },
        { 3, false, false },
        { 3, true, false },
        { 3, false, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ToRawFromRaw_RoundTrip_AndGradientIsTheChainRule(int outputs, bool featureMajor, bool identity)
    {
        const int features = 7;
        var shape = outputs == 1 ? ModelShape.Binary(features) : ModelShape.Multiclass(features, outputs, featureMajor ? WeightLayout.FeatureMajor : WeightLayout.ClassMajor);
        var random = new Random(3);
        var mean = Enumerable.Range(0, features).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
        var variance = Enumerable.Range(0, features).Select(j => j == 2 ? 0 : 0.1 + (random.NextDouble() * 3)).ToArray();
        var standardization = identity ? Standardization.None(shape) : new Standardization(shape, mean, variance);
        var theta = Enumerable.Range(0, shape.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        var raw = new float[theta.Length];
        standardization.ToRaw(theta, raw);
        var back = new float[theta.Length];
        standardization.FromRaw(raw, back);
        for (int i = 0; i < theta.Length; i++)
        {
            Assert.Equal(theta[i], back[i], 4);
        }

        // For a loss linear in the raw parameters, L = c · raw(θ), the θ-gradient is exactly the change of L per unit of θ_i.
        var c = Enumerable.Range(0, shape.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var gradient = (float[])c.Clone();
        standardization.GradientToStandardized(gradient);
        double Loss(float[] t)
        {
            var r = new float[t.Length];
            standardization.ToRaw(t, r);
            return r.Zip(c, (a, b) => (double)a * b).Sum();
        }

        for (int i = 0; i < theta.Length; i++)
        {
            var moved = (float[])theta.Clone();
            moved[i] += 1;
            Assert.Equal(Loss(moved) - Loss(theta), gradient[i], 3);
        }
    }
}

public class StandardizationScaleTests
{
    [Theory]
    [InlineData(1000.0)]
    [InlineData(1e30)]
    public void DominantFeature_DoesNotShrinkTheOthers_AndWarns(double scale)
    {
        var shape = ModelShape.Binary(5);
        var mean = new double[5];
        var variance = new[] { scale * scale, 1, 1, 1, 1 };
        var standardization = new Standardization(shape, mean, variance);

        // theta = 1 everywhere: raw weights are theta / max(sd, median sd), so ordinary features keep weight 1.
        var theta = Enumerable.Repeat(1f, shape.ParameterCount).ToArray();
        var raw = new float[theta.Length];
        standardization.ToRaw(theta, raw);
        Assert.Equal(1f, raw[1]);
        Assert.Equal(1f, raw[4]);
        Assert.Equal((float)(1 / scale), raw[0], (float)(1e-6 / scale));
        Assert.NotNull(standardization.Warning);
        Assert.Contains("Feature 0", standardization.Warning);
    }

    [Fact]
    public void OrdinaryScales_NoWarning_AndNearConstantFeaturesAreNotBlownUp()
    {
        var shape = ModelShape.Binary(4);
        var standardization = new Standardization(shape, new double[4], [4, 1, 2.25, 1e-8]);
        var theta = Enumerable.Repeat(1f, shape.ParameterCount).ToArray();
        var raw = new float[theta.Length];
        standardization.ToRaw(theta, raw);
        Assert.Null(standardization.Warning);

        // Median of the spreads 2, 1, 1.5 and 1e-4 is 1.5: the near-constant feature is divided by it, not by 1e-4.
        Assert.Equal(1 / 1.5f, raw[3], 5);
        Assert.Equal(0.5f, raw[0], 5);
    }

    [Fact]
    public void Auto_SparseRows_IgnoreTheSpreadRule()
    {
        var mean = new double[] { 0.001, 0.001, 0.001, 0.5 };
        var variance = new double[] { 1e-6, 1e-6, 1e-6, 0.25 };
        Assert.True(Standardization.IsWorthwhile(mean, variance, sparse: false, out _));
        Assert.False(Standardization.IsWorthwhile(mean, variance, sparse: true, out string reason));
        Assert.Contains("sparse rows", reason);
    }
}
