using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Kernels;

// CONTRACT STUB (factories completed by the kernel work; the MKL work extends the Mkl branch).

/// <summary>Factories for kernels.</summary>
public static class KernelFactory
{
    /// <summary>The fastest managed Adam update kernel for this CPU.</summary>
    public static IAdamUpdateKernel CreateAdamUpdate(KernelBackend backend) =>
        backend == KernelBackend.Mkl ? MklBackend.CreateAdamUpdate() : throw new NotImplementedException();

    /// <summary>A gradient kernel for <paramref name="shape"/> and dense or sparse batches.</summary>
    public static IGradientKernel CreateGradient(ModelShape shape, bool sparse, KernelBackend backend) =>
        MklBackend.TryCreateGradient(shape, sparse, backend) ?? throw new NotImplementedException();
}
