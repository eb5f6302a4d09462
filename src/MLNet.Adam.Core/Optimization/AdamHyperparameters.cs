namespace MLNet.Adam.Optimization;

// CONTRACT STUB (to be completed by the optimizer work): public surface the trainers code against.

/// <summary>Immutable, validated Adam hyperparameters. Defaults come from <see cref="AdamDefaults"/>.</summary>
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
    public AdamHyperparameters Validate() => throw new NotImplementedException();
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
