namespace MLNet.Adam.Training;

/// <summary>Whether the optimizer works on implicitly standardized features.</summary>
public enum FeatureStandardization
{
    /// <summary>Decide from the first pass's feature statistics (far from centered, or very different spreads: standardize).</summary>
    Auto,

    /// <summary>Always standardize.</summary>
    On,

    /// <summary>Train on the raw features.</summary>
    Off,
}
