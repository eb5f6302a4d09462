using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>The kernels chosen for one <c>Fit</c>: resolved once, recorded in the training summary.</summary>
internal sealed class KernelChoice
{
    private readonly ModelShape _shape;
    private readonly bool _sparse;
    private readonly KernelBackend _backend;

    private KernelChoice(ModelShape shape, bool sparse, KernelBackend backend)
    {
        _shape = shape;
        _sparse = sparse;
        _backend = backend;
        Update = KernelFactory.CreateAdamUpdate(backend);
        Description = $"backend {backend}: update '{Update.Name}' ({KernelPlan.Resolve(shape, sparse, backend)})";
    }

    /// <summary>The Adam update kernel.</summary>
    public IAdamUpdateKernel Update { get; }

    /// <summary>What was chosen and why (the gradient kernel's own name is added by whoever creates it).</summary>
    public string Description { get; }

    public static KernelChoice Resolve(KernelBackend backend, ModelShape shape, bool sparse) => new(shape, sparse, backend);

    /// <summary>A new gradient kernel instance (one per thread).</summary>
    public IGradientKernel CreateGradient() => KernelFactory.CreateGradient(_shape, _sparse, _backend);
}
