using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Gradients;

/// <summary>
/// Compares a kernel with the reference under a magnitude-scaled tolerance. The rule, per gradient entry of feature j:
/// <c>|fast - ref| &lt;= sum_i w_i |x_ij| (1e-4 + 1e-6 A_i) + 1e-6</c>, bias entries with <c>|x_ij| = 1</c>, and
/// for the loss <c>1e-4 (|ref| + sum_i w_i) + 1e-6 sum_i w_i A_i</c>, where
/// <c>A_i = max |b| + sum_j |x_ij| max_k |W_kj|</c> bounds the float rounding of row i's logits
/// (float accumulation of up to 257 terms, relative error well under 1e-6 of A_i). <c>|r_i| &lt;= w_i</c> bounds
/// every residual, so <c>sum_i w_i |x_ij|</c> is the magnitude of a gradient entry's terms.
/// </summary>
internal static class GradientComparer
{
    public static void AssertClose(
        IGradientKernel fast, IGradientKernel reference, MiniBatch fastBatch, MiniBatch referenceBatch, float[] parameters, int start, int count, string context)
    {
        var shape = reference.Shape;
        var expected = new float[shape.ParameterCount];
        var actual = new float[shape.ParameterCount];
        actual.AsSpan().Fill(float.NaN);
        double expectedLoss = reference.LossAndGradient(referenceBatch, start, count, parameters, expected);
        double actualLoss = fast.LossAndGradient(fastBatch, start, count, parameters, actual);

        var (weightMagnitude, biasMagnitude, lossSlack) = Magnitudes(shape, referenceBatch, parameters, start, count);
        double lossTolerance = (1e-4 * (Math.Abs(expectedLoss) + biasMagnitude[0])) + lossSlack;
        Assert.True(
            Math.Abs(actualLoss - expectedLoss) <= lossTolerance,
            $"{context}: loss {actualLoss} vs reference {expectedLoss} (tolerance {lossTolerance})");

        for (int o = 0; o < shape.OutputCount; o++)
        {
            for (int j = 0; j < shape.FeatureCount; j++)
            {
                int p = shape.WeightIndex(o, j);
                double tolerance = weightMagnitude[j] + 1e-6;
                Assert.True(
                    Math.Abs(actual[p] - expected[p]) <= tolerance,
                    $"{context}: gradient of output {o} feature {j}: {actual[p]} vs reference {expected[p]} (tolerance {tolerance})");
            }

            int b = shape.BiasIndex(o);
            double biasTolerance = biasMagnitude[1] + 1e-6;
            Assert.True(
                Math.Abs(actual[b] - expected[b]) <= biasTolerance,
                $"{context}: bias gradient of output {o}: {actual[b]} vs reference {expected[b]} (tolerance {biasTolerance})");
        }

        var expectedSummary = reference.Loss(referenceBatch, start, count, parameters);
        var actualSummary = fast.Loss(fastBatch, start, count, parameters);
        Assert.True(
            Math.Abs(actualSummary.WeightedLoss - expectedSummary.WeightedLoss) <= lossTolerance,
            $"{context}: Loss() {actualSummary.WeightedLoss} vs reference {expectedSummary.WeightedLoss}");
        Assert.Equal(expectedSummary.TotalWeight, actualSummary.TotalWeight, 1e-9);
        Assert.Equal(expectedSummary.CorrectWeight, actualSummary.CorrectWeight, 1e-9);
    }

    // weightMagnitude[j]: tolerance of feature j's gradient entries; biasMagnitude = [sum w, tolerance of biases];
    // lossSlack: the logit-rounding part of the loss tolerance.
    private static (double[] WeightMagnitude, double[] BiasMagnitude, double LossSlack) Magnitudes(
        ModelShape shape, MiniBatch batch, float[] parameters, int start, int count)
    {
        int f = shape.FeatureCount;
        var maxWeight = new double[f];
        double maxBias = 0;
        for (int o = 0; o < shape.OutputCount; o++)
        {
            maxBias = Math.Max(maxBias, Math.Abs(parameters[shape.BiasIndex(o)]));
            for (int j = 0; j < f; j++)
            {
                maxWeight[j] = Math.Max(maxWeight[j], Math.Abs(parameters[shape.WeightIndex(o, j)]));
            }
        }

        var weightTolerance = new double[f];
        double totalWeight = 0, biasTolerance = 0, lossSlack = 0;
        var dense = new float[f];
        for (int i = start; i < start + count; i++)
        {
            Densify(batch, i, dense);
            double a = maxBias;
            for (int j = 0; j < f; j++)
            {
                a += Math.Abs(dense[j]) * maxWeight[j];
            }

            double w = batch.Weights[i];
            double perUnit = w * (1e-4 + (1e-6 * a));
            for (int j = 0; j < f; j++)
            {
                weightTolerance[j] += Math.Abs(dense[j]) * perUnit;
            }

            totalWeight += w;
            biasTolerance += perUnit;
            lossSlack += 1e-6 * w * a;
        }

        return (weightTolerance, [totalWeight, biasTolerance], lossSlack);
    }

    private static void Densify(MiniBatch batch, int row, float[] destination)
    {
        if (!batch.IsSparse)
        {
            batch.DenseRow(row).CopyTo(destination);
            return;
        }

        Array.Clear(destination);
        for (int e = batch.RowStarts[row]; e < batch.RowStarts[row + 1]; e++)
        {
            destination[batch.Indices[e]] = batch.Values[e];
        }
    }
}
