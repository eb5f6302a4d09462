using System.Globalization;

namespace MLNet.Adam.Optimization;

/// <summary>
/// Immutable Adam hyperparameters (Kingma &amp; Ba 2015, Algorithm 1) with the optional AMSGrad, coupled L2, decoupled
/// weight decay and L1 terms. Defaults come from <see cref="AdamDefaults"/>; <see cref="Validate"/> checks a set once.
/// </summary>
/// <remarks>
/// Epsilon sits outside the square root: <c>p -= lr_t * m / (sqrt(v) + eps_t)</c>. <see cref="L2Regularization"/> is
/// coupled (added to the gradient, so Adam rescales it); <see cref="WeightDecay"/> is decoupled (AdamW, Loshchilov &amp;
/// Hutter 2019: <c>p *= 1 - lr * WeightDecay</c> with the scheduled learning rate). They are different regularizers and
/// may be combined. An epsilon of 0 reproduces the paper's rule without damping; <see cref="AdamOptimizer"/> then adds
/// the smallest normal float (2^-126) instead, which leaves a coordinate whose gradient has been 0 so far unchanged
/// (instead of dividing 0 by 0) and rounds away for every other coordinate. A gradient so small that its square
/// underflows (below about 1e-22) still divides by that tiny number: keep a positive epsilon unless the gradients are
/// known to be either 0 or of a normal size.
/// </remarks>
/// <example>
/// <code>
/// var adamW = new AdamHyperparameters { LearningRate = 0.01f, WeightDecay = 1e-4f }.Validate();
/// </code>
/// </example>
public sealed record AdamHyperparameters
{
    /// <summary>Base learning rate (alpha). Must be positive and finite.</summary>
    public float LearningRate { get; init; } = AdamDefaults.LearningRate;

    /// <summary>First-moment decay rate, in [0, 1).</summary>
    public float Beta1 { get; init; } = AdamDefaults.Beta1;

    /// <summary>Second-moment decay rate, in [0, 1).</summary>
    public float Beta2 { get; init; } = AdamDefaults.Beta2;

    /// <summary>Epsilon added outside the square root; non-negative.</summary>
    public float Epsilon { get; init; } = AdamDefaults.Epsilon;

    /// <summary>Use AMSGrad.</summary>
    public bool Amsgrad { get; init; }

    /// <summary>Coupled L2 coefficient (added to the gradient); non-negative.</summary>
    public float L2Regularization { get; init; }

    /// <summary>Decoupled weight decay (AdamW); non-negative.</summary>
    public float WeightDecay { get; init; }

    /// <summary>L1 strength applied as a proximal step; non-negative.</summary>
    public float L1Regularization { get; init; }

    /// <summary>Whether biases are also subject to L1, L2 and decay (default false).</summary>
    public bool RegularizeBias { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid parameter and its value.</summary>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; <c>ParamName</c> is the property name.</exception>
    public AdamHyperparameters Validate()
    {
        if (!(LearningRate > 0f) || !float.IsFinite(LearningRate))
        {
            throw OutOfRange(nameof(LearningRate), LearningRate, "must be positive and finite");
        }

        CheckDecayRate(nameof(Beta1), Beta1);
        CheckDecayRate(nameof(Beta2), Beta2);
        CheckNonNegative(nameof(Epsilon), Epsilon);
        CheckNonNegative(nameof(L2Regularization), L2Regularization);
        CheckNonNegative(nameof(WeightDecay), WeightDecay);
        CheckNonNegative(nameof(L1Regularization), L1Regularization);
        return this;
    }

    private static void CheckDecayRate(string name, float value)
    {
        // Written so that NaN fails too.
        if (!(value >= 0f && value < 1f))
        {
            throw OutOfRange(name, value, "must be in [0, 1)");
        }
    }

    private static void CheckNonNegative(string name, float value)
    {
        if (!(value >= 0f) || !float.IsFinite(value))
        {
            throw OutOfRange(name, value, "must be non-negative and finite");
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(string name, float value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} {rule}; got {value:R}."));
}

/// <summary>The library's default hyperparameter values, in one place.</summary>
public static class AdamDefaults
{
    /// <summary>Default learning rate.</summary>
    public const float LearningRate = 0.001f;

    /// <summary>Default beta1.</summary>
    public const float Beta1 = 0.9f;

    /// <summary>Default beta2.</summary>
    public const float Beta2 = 0.999f;

    /// <summary>Default epsilon.</summary>
    public const float Epsilon = 1e-8f;
}
