using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Mkl;

/// <summary>
/// Double-precision twins of the documented formulas (IAdamUpdateKernel, IGradientKernel) against which the MKL
/// kernels are checked with magnitude-scaled tolerances.
/// </summary>
internal static class DoubleReference
{
    /// <summary>One Adam step in double; returns the new values and a per-element error scale for each array.</summary>
    public static (double[] P, double[] M, double[] V, double[] MaxV, double[] PScale) AdamStep(
        float[] parameters, float[] gradient, float[] firstMoment, float[] secondMoment, float[] maxSecondMoment, AdamStepScalars s)
    {
        int n = parameters.Length;
        var p = new double[n];
        var m = new double[n];
        var v = new double[n];
        var maxV = new double[n];
        var scale = new double[n];
        for (int i = 0; i < n; i++)
        {
            double g = gradient[i] + ((double)s.L2 * parameters[i]);
            m[i] = (s.Beta1 * (double)firstMoment[i]) + ((1.0 - s.Beta1) * g);
            v[i] = (s.Beta2 * (double)secondMoment[i]) + ((1.0 - s.Beta2) * g * g);
            double vm = v[i];
            if (s.Amsgrad)
            {
                vm = maxV[i] = Math.Max(maxSecondMoment[i], v[i]);
            }

            double denominator = Math.Sqrt(vm) + s.EpsilonHat;
            double decayed = parameters[i] * (double)s.DecayFactor;
            double step = s.StepSize * m[i] / denominator;
            p[i] = decayed - step;
            double threshold = 0;
            if (s.L1 > 0)
            {
                threshold = s.L1 * (double)s.StepSize / denominator;
                p[i] = Math.CopySign(Math.Max(Math.Abs(p[i]) - threshold, 0), p[i]);
            }

            scale[i] = Math.Abs(decayed) + Math.Abs(step) + threshold;
        }

        return (p, m, v, maxV, scale);
    }

    /// <summary>Weighted loss and gradient over rows start..start+count-1, in double.</summary>
    public static (double Loss, double[] Gradient, LossSummary Summary) LossAndGradient(
        ModelShape shape, MiniBatch batch, int start, int count, float[] parameters)
    {
        int f = shape.FeatureCount;
        int k = shape.OutputCount;
        var gradient = new double[shape.ParameterCount];
        double loss = 0, total = 0, correct = 0;
        var x = new double[f];
        var z = new double[k];
        for (int row = start; row < start + count; row++)
        {
            Densify(batch, row, x);
            for (int o = 0; o < k; o++)
            {
                double sum = parameters[shape.BiasIndex(o)];
                for (int j = 0; j < f; j++)
                {
                    sum += parameters[shape.WeightIndex(o, j)] * x[j];
                }

                z[o] = sum;
            }

            double weight = batch.Weights[row];
            int label = batch.Labels[row];
            total += weight;
            var residual = new double[k];
            if (k == 1)
            {
                double signed = label == 1 ? z[0] : -z[0];
                loss += weight * (signed > 0 ? Math.Log(1 + Math.Exp(-signed)) : -signed + Math.Log(1 + Math.Exp(signed)));
                residual[0] = weight * ((1 / (1 + Math.Exp(-z[0]))) - label);
                correct += (z[0] > 0 ? 1 : 0) == label ? weight : 0;
            }
            else
            {
                double max = z.Max();
                double sum = z.Sum(value => Math.Exp(value - max));
                loss += weight * (max + Math.Log(sum) - z[label]);
                for (int o = 0; o < k; o++)
                {
                    residual[o] = weight * ((Math.Exp(z[o] - max) / sum) - (o == label ? 1 : 0));
                }

                correct += Array.IndexOf(z, max) == label ? weight : 0;
            }

            for (int o = 0; o < k; o++)
            {
                gradient[shape.BiasIndex(o)] += residual[o];
                for (int j = 0; j < f; j++)
                {
                    gradient[shape.WeightIndex(o, j)] += residual[o] * x[j];
                }
            }
        }

        return (loss, gradient, new LossSummary(loss, total, correct));
    }

    private static void Densify(MiniBatch batch, int row, double[] x)
    {
        if (!batch.IsSparse)
        {
            var dense = batch.DenseRow(row);
            for (int j = 0; j < x.Length; j++)
            {
                x[j] = dense[j];
            }

            return;
        }

        Array.Clear(x);
        for (int e = batch.RowStarts[row]; e < batch.RowStarts[row + 1]; e++)
        {
            x[batch.Indices[e]] = batch.Values[e];
        }
    }
}
