using System.Numerics.Tensors;
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

    // Raw and standardized spaces coincide: the per-step conversions reduce to a copy and nothing.
    private readonly bool _identity;

    public Standardization(ModelShape shape, double[] mean, double[] variance)
    {
        _shape = shape;
        _mean = new float[mean.Length];
        _inverseScale = new float[mean.Length];

        // Scales are floored at the median standard deviation: features with large spread are scaled down to it (the
        // conditioning gain), but near-constant features (rare pixels, rare words) are not blown up, which would let a
        // few rows drive large raw weights and overfit. The median, unlike the mean, ignores a few dominant features
        // (one feature x1000 or around 1e30 would otherwise set the floor and shrink every ordinary feature).
        // Plain loops, not LINQ: generic LINQ over doubles is compiled at run time, which a first Fit pays for.
        var deviations = new double[variance.Length];
        int count = 0;
        for (int j = 0; j < variance.Length; j++)
        {
            deviations[j] = Math.Sqrt(Math.Max(variance[j], 0));
            count += deviations[j] > 1e-12 && double.IsFinite(deviations[j]) ? 1 : 0;
        }

        var informative = new double[count];
        count = 0;
        foreach (double d in deviations)
        {
            if (d > 1e-12 && double.IsFinite(d))
            {
                informative[count++] = d;
            }
        }

        Array.Sort(informative);
        double floor = informative.Length > 0 ? informative[informative.Length / 2] : 1;
        for (int j = 0; j < mean.Length; j++)
        {
            _mean[j] = (float)mean[j];
            _inverseScale[j] = (float)(1 / Math.Max(deviations[j], floor));
        }

        if (informative.Length > 0 && informative[^1] > DominantRatio * floor)
        {
            int widest = Array.IndexOf(deviations, informative[^1]);
            Warning = $"Feature {widest} of the feature vector has a standard deviation of {informative[^1]:G3}, {informative[^1] / floor:G3} times the median " +
                $"({floor:G3}); features on such different scales are standardized implicitly (the model is returned for the raw features), " +
                "but normalizing them in the pipeline (for example NormalizeMeanVariance) keeps the raw weights readable.";
        }
    }

    private Standardization(ModelShape shape, float[] mean, float[] inverseScale, bool identity)
    {
        _shape = shape;
        _mean = mean;
        _inverseScale = inverseScale;
        _identity = identity;
    }

    /// <summary>The model's shape.</summary>
    public ModelShape Shape => _shape;

    /// <summary>Per-feature means subtracted (the stored form, with <see cref="InverseScale"/>; zeros for the identity).</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>Per-feature reciprocal scales (ones for the identity).</summary>
    public ReadOnlySpan<float> InverseScale => _inverseScale;

    /// <summary>
    /// The map defined by stored statistics (a checkpoint's), so that a resumed run continues in exactly the space its
    /// parameters were trained in; all zeros and ones give the identity.
    /// </summary>
    public static Standardization FromStored(ModelShape shape, float[] mean, float[] inverseScale)
    {
        if (mean.Length != shape.FeatureCount || inverseScale.Length != shape.FeatureCount)
        {
            throw new ArgumentException($"Standardization statistics for {mean.Length} and {inverseScale.Length} features where the model has {shape.FeatureCount}.", nameof(mean));
        }

        if (!Array.TrueForAll(mean, float.IsFinite) || !Array.TrueForAll(inverseScale, s => float.IsFinite(s) && s > 0))
        {
            throw new ArgumentException("Standardization statistics must be finite, with positive scales.", nameof(inverseScale));
        }

        bool identity = Array.TrueForAll(mean, m => m == 0) && Array.TrueForAll(inverseScale, s => s == 1);
        return new Standardization(shape, (float[])mean.Clone(), (float[])inverseScale.Clone(), identity);
    }

    /// <summary>Ratio of a feature's spread to the median spread above which <see cref="Warning"/> is set.</summary>
    public const double DominantRatio = 100;

    /// <summary>True when raw and standardized parameters coincide (no conversion needed).</summary>
    public bool IsIdentity => _identity;

    /// <summary>A warning about features on very different scales, or null.</summary>
    public string? Warning { get; }

    /// <summary>An identity transformation: the optimizer works on the raw features.</summary>
    public static Standardization None(ModelShape shape)
    {
        var ones = new float[shape.FeatureCount];
        Array.Fill(ones, 1f);
        return new Standardization(shape, new float[shape.FeatureCount], ones, identity: true);
    }

    /// <summary>
    /// The rule of the trainers' automatic standardization (<c>FeatureStandardization.Auto</c>): standardize when the features are far from centered
    /// (median |mean| / standard deviation above 1.5, as after ML.NET's NormalizeMeanVariance, which scales without
    /// centering) or their spreads differ by more than a factor of 100 from the median spread. Measured: breast cancer
    /// and wine after NormalizeMeanVariance (median ratios 2.2 and 3.7) need it; Fashion-MNIST pixels (0.83, spreads
    /// within 1.3x of the median) train better without it. The spread rule is not applied to sparse rows: on the
    /// GitHub issue labeler's text features (150,353 features, 0.4 % stored) the largest spread is 222 times the median
    /// one, which says nothing about conditioning there.
    /// </summary>
    public static bool IsWorthwhile(double[] mean, double[] variance, bool sparse, out string reason)
    {
        var ratios = new double[mean.Length];
        var deviations = new double[mean.Length];
        int count = 0;
        for (int j = 0; j < mean.Length; j++)
        {
            double sd = Math.Sqrt(Math.Max(variance[j], 0));
            if (sd > 1e-12)
            {
                ratios[count] = Math.Abs(mean[j]) / sd;
                deviations[count++] = sd;
            }
        }

        if (count == 0)
        {
            reason = "all features are constant";
            return false;
        }

        Array.Sort(ratios, 0, count);
        Array.Sort(deviations, 0, count);
        double medianRatio = ratios[count / 2];
        double spread = deviations[count - 1] / deviations[count / 2];
        reason = $"median |mean|/sd {medianRatio:F2}, largest sd / median sd {spread:F1}{(sparse ? ", sparse rows" : "")}";

        // Sparse rows (text, one-hot) have rare features of tiny spread by nature: the spread rule would fire on every
        // text featurization and buy nothing, while the conversions cost a pass over every parameter per step.
        return medianRatio > 1.5 || (!sparse && spread > 100);
    }

    /// <summary>Raw-space parameters from standardized ones.</summary>
    public void ToRaw(ReadOnlySpan<float> theta, Span<float> raw)
    {
        if (_identity)
        {
            theta.CopyTo(raw);
            return;
        }

        int f = _shape.FeatureCount;
        if (_shape.Layout == WeightLayout.ClassMajor)
        {
            // Each output's weights are contiguous: vector operations over the row.
            for (int o = 0; o < _shape.OutputCount; o++)
            {
                var row = raw.Slice(o * f, f);
                TensorPrimitives.Multiply(theta.Slice(o * f, f), _inverseScale, row);
                int bias = _shape.BiasIndex(o);
                raw[bias] = theta[bias] - TensorPrimitives.Dot(row, _mean);
            }

            return;
        }

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
        if (_identity)
        {
            return;
        }

        int f = _shape.FeatureCount;
        if (_shape.Layout == WeightLayout.ClassMajor)
        {
            for (int o = 0; o < _shape.OutputCount; o++)
            {
                var row = gradient.Slice(o * f, f);
                TensorPrimitives.MultiplyAdd(_mean, -gradient[_shape.BiasIndex(o)], row, row);
                TensorPrimitives.Multiply(row, _inverseScale, row);
            }

            return;
        }

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
