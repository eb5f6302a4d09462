namespace MLNet.Adam.Training;

/// <summary>How training weights each class.</summary>
public enum ClassWeighting
{
    /// <summary>All classes weigh 1 (example weights still apply).</summary>
    None,

    /// <summary>
    /// Class c weighs <c>total / (classCount * count_c)</c>, computed in one streaming pass (scikit-learn's "balanced"):
    /// every class contributes the same total weight.
    /// </summary>
    Balanced,

    /// <summary>Weights given in the options' <c>ClassWeights</c> array.</summary>
    Custom,
}
