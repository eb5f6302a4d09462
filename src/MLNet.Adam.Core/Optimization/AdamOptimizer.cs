using MLNet.Adam.Kernels;

namespace MLNet.Adam.Optimization;

// CONTRACT STUB (to be completed by the optimizer work).

/// <summary>Adam over one flat parameter vector whose first <c>regularizedCount</c> entries are weights and the rest biases.</summary>
public sealed class AdamOptimizer
{
    /// <summary>Creates an optimizer with fresh state.</summary>
    public AdamOptimizer(AdamHyperparameters hyperparameters, int parameterCount, int regularizedCount, IAdamUpdateKernel? kernel = null)
        => throw new NotImplementedException();

    /// <summary>Creates an optimizer continuing from <paramref name="state"/>.</summary>
    public AdamOptimizer(AdamHyperparameters hyperparameters, AdamState state, int regularizedCount, IAdamUpdateKernel? kernel = null)
        => throw new NotImplementedException();

    /// <summary>The hyperparameters.</summary>
    public AdamHyperparameters Hyperparameters => throw new NotImplementedException();

    /// <summary>The state (step, moments).</summary>
    public AdamState State => throw new NotImplementedException();

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> (from a schedule) to <paramref name="parameters"/> given the mean gradient.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate) => throw new NotImplementedException();
}
