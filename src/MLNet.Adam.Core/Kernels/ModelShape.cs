namespace MLNet.Adam.Kernels;

/// <summary>How the weight matrix of a softmax model is laid out in the flat parameter vector.</summary>
internal enum WeightLayout
{
    /// <summary>Row <c>k</c> holds class <c>k</c>'s weights: element <c>[k * F + j]</c>. Used for dense features.</summary>
    ClassMajor,

    /// <summary>Row <c>j</c> holds feature <c>j</c>'s weights for all classes: element <c>[j * K + k]</c>. Used for sparse features with many classes.</summary>
    FeatureMajor,
}

/// <summary>
/// The shape of a linear model's flat parameter vector: all weights first, then the biases.
/// Binary logistic regression: <c>[w_0 .. w_{F-1}, b]</c> (one output).
/// Softmax regression with K classes: K*F weights in <see cref="Layout"/> order, then <c>b_0 .. b_{K-1}</c>.
/// </summary>
internal readonly record struct ModelShape
{
    private ModelShape(int featureCount, int outputCount, WeightLayout layout)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputCount);
        FeatureCount = featureCount;
        OutputCount = outputCount;
        Layout = layout;
    }

    /// <summary>Number of features (F).</summary>
    public int FeatureCount { get; }

    /// <summary>Number of linear outputs: 1 for binary logistic regression, K for softmax regression.</summary>
    public int OutputCount { get; }

    /// <summary>Weight layout (only meaningful when <see cref="OutputCount"/> &gt; 1).</summary>
    public WeightLayout Layout { get; }

    /// <summary>True for binary logistic regression (a single output with a sigmoid link).</summary>
    public bool IsBinary => OutputCount == 1;

    /// <summary>Number of weights; these come first and are the entries subject to L1, L2 and weight decay.</summary>
    public int WeightCount => checked(FeatureCount * OutputCount);

    /// <summary>Total parameter count: weights then one bias per output.</summary>
    public int ParameterCount => checked(WeightCount + OutputCount);

    /// <summary>Shape of a binary logistic regression over <paramref name="featureCount"/> features.</summary>
    public static ModelShape Binary(int featureCount) => new(featureCount, 1, WeightLayout.ClassMajor);

    /// <summary>Shape of a softmax regression with <paramref name="classCount"/> classes (at least 2).</summary>
    public static ModelShape Multiclass(int featureCount, int classCount, WeightLayout layout)
    {
        if (classCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A softmax model needs at least 2 classes.");
        }

        return new ModelShape(featureCount, classCount, layout);
    }

    /// <summary>Index of weight (output <paramref name="output"/>, feature <paramref name="feature"/>) in the flat vector.</summary>
    public int WeightIndex(int output, int feature) =>
        Layout == WeightLayout.ClassMajor ? (output * FeatureCount) + feature : (feature * OutputCount) + output;

    /// <summary>Index of the bias of output <paramref name="output"/>.</summary>
    public int BiasIndex(int output) => WeightCount + output;
}
