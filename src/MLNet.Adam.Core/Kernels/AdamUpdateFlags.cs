namespace MLNet.Adam.Kernels;

/// <summary>
/// A compile-time switch for one optional term of the fused Adam update. The kernel's loops are generic over these
/// structs, so the JIT emits a separate loop per combination with the unused terms removed: the plain Adam path pays
/// nothing for AMSGrad, L2, decay or L1.
/// </summary>
internal interface IAdamUpdateFlag
{
    static abstract bool IsOn { get; }
}

/// <summary>The term is applied.</summary>
internal readonly struct AdamTermOn : IAdamUpdateFlag
{
    public static bool IsOn => true;
}

/// <summary>The term is skipped.</summary>
internal readonly struct AdamTermOff : IAdamUpdateFlag
{
    public static bool IsOn => false;
}

/// <summary>The per-step scalars of <see cref="AdamStepScalars"/> in the form the loops consume, rounded once.</summary>
internal readonly struct AdamUpdateCoefficients
{
    public AdamUpdateCoefficients(in AdamStepScalars scalars)
    {
        Beta1 = scalars.Beta1;
        Beta2 = scalars.Beta2;
        OneMinusBeta1 = 1f - scalars.Beta1;
        OneMinusBeta2 = 1f - scalars.Beta2;
        StepSize = scalars.StepSize;
        EpsilonHat = scalars.EpsilonHat;
        L2 = scalars.L2;
        DecayFactor = scalars.DecayFactor;
        L1Step = scalars.L1 * scalars.StepSize;
    }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float OneMinusBeta1 { get; }

    public float OneMinusBeta2 { get; }

    public float StepSize { get; }

    public float EpsilonHat { get; }

    public float L2 { get; }

    public float DecayFactor { get; }

    public float L1Step { get; }
}
