using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Converts between a kernel's parameter layout and the canonical one used by model files, checkpoints and warm
/// starts: class-major weights (<c>[k * F + j]</c>), then one bias per output.
/// </summary>
internal static class ParameterLayout
{
    public static float[] ToCanonical(ModelShape shape, float[] parameters)
    {
        if (shape.IsBinary || shape.Layout == WeightLayout.ClassMajor)
        {
            return (float[])parameters.Clone();
        }

        var canonical = new float[shape.ParameterCount];
        int f = shape.FeatureCount, k = shape.OutputCount;
        for (int j = 0; j < f; j++)
        {
            for (int c = 0; c < k; c++)
            {
                canonical[(c * f) + j] = parameters[(j * k) + c];
            }
        }

        Array.Copy(parameters, shape.WeightCount, canonical, shape.WeightCount, k);
        return canonical;
    }

    public static float[] FromCanonical(ModelShape shape, float[] canonical)
    {
        if (canonical.Length != shape.ParameterCount)
        {
            throw new ArgumentException(
                $"The initial model has {canonical.Length} parameters but the training data needs {shape.ParameterCount} " +
                $"({shape.FeatureCount} features x {shape.OutputCount} output(s) + biases).", nameof(canonical));
        }

        if (shape.IsBinary || shape.Layout == WeightLayout.ClassMajor)
        {
            return (float[])canonical.Clone();
        }

        var parameters = new float[shape.ParameterCount];
        int f = shape.FeatureCount, k = shape.OutputCount;
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < f; j++)
            {
                parameters[(j * k) + c] = canonical[(c * f) + j];
            }
        }

        Array.Copy(canonical, shape.WeightCount, parameters, shape.WeightCount, k);
        return parameters;
    }

    /// <summary>Zero weights; biases at the log prior of each class, where the optimum starts for uninformative features.</summary>
    public static float[] Initial(ModelShape shape, double[] classTotals, float[] classWeights)
    {
        var parameters = new float[shape.ParameterCount];
        var weighted = new double[classTotals.Length];
        double sum = 0;
        for (int c = 0; c < weighted.Length; c++)
        {
            weighted[c] = classTotals[c] * classWeights[c];
            sum += weighted[c];
        }

        // Smoothing keeps log priors finite for classes absent from the data.
        double Prior(int c) => (weighted[c] + 0.5) / (sum + (0.5 * weighted.Length));
        if (shape.IsBinary)
        {
            parameters[shape.BiasIndex(0)] = (float)Math.Log(Prior(1) / Prior(0));
        }
        else
        {
            for (int c = 0; c < shape.OutputCount; c++)
            {
                parameters[shape.BiasIndex(c)] = (float)Math.Log(Prior(c));
            }
        }

        return parameters;
    }
}
