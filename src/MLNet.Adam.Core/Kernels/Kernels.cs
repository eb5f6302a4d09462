namespace MLNet.Adam.Kernels;

// CONTRACT STUB (factories completed by the kernel work; the MKL work extends the Mkl branch).

/// <summary>Factories for kernels.</summary>
public static class KernelFactory
{
    /// <summary>
    /// The Adam update kernel for <paramref name="backend"/>: for <see cref="KernelBackend.Managed"/> and
    /// <see cref="KernelBackend.Auto"/> the fused single-pass SIMD kernel (it runs at the memory-bandwidth ceiling,
    /// faster than any multi-pass MKL formulation; see DESIGN.md section 2).
    /// </summary>
    /// <exception cref="NotSupportedException">The MKL backend is requested but not available in this build.</exception>
    public static IAdamUpdateKernel CreateAdamUpdate(KernelBackend backend) => backend switch
    {
        KernelBackend.Managed or KernelBackend.Auto => new FusedAdamUpdateKernel(),
        KernelBackend.Mkl => throw new NotSupportedException("The Adam update on the MKL backend is not available: the MKL backend not built yet."),
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "Unknown kernel backend."),
    };

    /// <summary>A gradient kernel for <paramref name="shape"/> and dense or sparse batches.</summary>
    public static IGradientKernel CreateGradient(ModelShape shape, bool sparse, KernelBackend backend) => throw new NotImplementedException();
}
