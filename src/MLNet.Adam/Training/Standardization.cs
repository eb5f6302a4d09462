using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Implicit feature standardization: the optimizer works on parameters θ of the standardized features
/// <c>(x - mean) / scale</c>, which makes Adam's steps well conditioned whatever the features' offsets and scales,
/// while the kernels keep reading the raw (possibly sparse) rows with the equivalent raw-space weights:
/// <c>w = θ_w / scale</c>, <c>b = θ_b - w · mean</c>. Nothing is densified and the model is returned in the raw space.
/// </summary>
internal sealed class Standardization
{
    private readonly ModelShape _shape;
    private readonly float[] _mean;
    private readonly float[] _inverseScale;

    public Standardization(ModelShape shape, double[] mean, double[] variance)
    {
        _shape = shape;
        _mean = new float[mean.Length];
        _inverseScale = new float[mean.Length];
        for (int j = 0; j < mean.Length; j++)
        {
            _mean[j] = (float)mean[j];

            // A constant feature carries no information: leave its scale alone.
            double sd = Math.Sqrt(Math.Max(variance[j], 0));
            _inverseScale[j] = sd > 1e-12 ? (float)(1 / sd) : 1f;
        }
    }

    /// <summary>Raw-space parameters from standardized ones.</summary>
    public void ToRaw(ReadOnlySpan<float> theta, Span<float> raw)
    {
        int f = _shape.FeatureCount;
        for (int o = 0; o < _shape.OutputCount; o++)
        {
            double shift = 0;
            for (int j = 0; j < f; j++)
            {
                int i = _shape.WeightIndex(o, j);
                float w = theta[i] * _inverseScale[j];
                raw[i] = w;
                shift += (double)w * _mean[j];
            }

            int b = _shape.BiasIndex(o);
            raw[b] = (float)(theta[b] - shift);
        }
    }

    /// <summary>Standardized parameters from raw-space ones (warm start).</summary>
    public void FromRaw(ReadOnlySpan<float> raw, Span<float> theta)
    {
        int f = _shape.FeatureCount;
        for (int o = 0; o < _shape.OutputCount; o++)
        {
            double shift = 0;
            for (int j = 0; j < f; j++)
            {
                int i = _shape.WeightIndex(o, j);
                theta[i] = raw[i] / _inverseScale[j];
                shift += (double)raw[i] * _mean[j];
            }

            int b = _shape.BiasIndex(o);
            theta[b] = (float)(raw[b] + shift);
        }
    }

    /// <summary>Turns a raw-space gradient into the gradient with respect to θ, in place (chain rule).</summary>
    public void GradientToStandardized(Span<float> gradient)
    {
        int f = _shape.FeatureCount;
        for (int o = 0; o < _shape.OutputCount; o++)
        {
            float gb = gradient[_shape.BiasIndex(o)];
            for (int j = 0; j < f; j++)
            {
                int i = _shape.WeightIndex(o, j);
                gradient[i] = (gradient[i] - (gb * _mean[j])) * _inverseScale[j];
            }
        }
    }
}
