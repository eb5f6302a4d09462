using MLNet.Adam.Kernels;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Training;

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
