using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Kernels;

/// <summary>Factories for kernels.</summary>
internal static class KernelFactory
{
    /// <summary>
    /// The Adam update kernel for <paramref name="backend"/>: for <see cref="KernelBackend.Managed"/> and
    /// <see cref="KernelBackend.Auto"/> the fused single-pass SIMD kernel (it runs at the memory-bandwidth ceiling,
    /// faster than any multi-pass MKL formulation; see DESIGN.md section 2).
    /// <see cref="KernelBackend.Mkl"/> gives MKL's VML multi-pass kernel.
    /// </summary>
    /// <exception cref="InvalidOperationException">The MKL backend is requested but MKL cannot be loaded.</exception>
    public static IAdamUpdateKernel CreateAdamUpdate(KernelBackend backend) => backend switch
    {
        KernelBackend.Managed or KernelBackend.Auto => new FusedAdamUpdateKernel(),
        KernelBackend.Mkl => MklBackend.CreateAdamUpdate(),
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "Unknown kernel backend."),
    };

    /// <summary>
    /// A gradient kernel for <paramref name="shape"/> and dense or sparse batches. Mkl gives MKL's sgemm or
    /// sparse-mm kernel; Auto gives it where <see cref="KernelPlan"/>'s measured rule says MKL wins, otherwise the
    /// fastest managed kernel, as Managed always does: binary, dense or sparse; softmax with class-major weights, dense (register-blocked) or sparse
    /// (per-class gather, for few classes); softmax with feature-major weights (contiguous over classes, for sparse
    /// rows and many classes), either batch format.
    /// </summary>
    /// <param name="shape">The model shape.</param>
    /// <param name="sparse">Whether the batches will be sparse (CSR).</param>
    /// <param name="backend">The backend.</param>
    /// <returns>A new kernel; use one per thread.</returns>
    /// <exception cref="InvalidOperationException">The MKL backend is requested but MKL cannot be loaded.</exception>
    public static IGradientKernel CreateGradient(ModelShape shape, bool sparse, KernelBackend backend)
    {
        // Mkl, and Auto where KernelPlan's measured rule prefers MKL; see KernelPlan for the rule.
        if (MklBackend.TryCreateGradient(shape, sparse, backend) is { } mkl)
        {
            return mkl;
        }

        switch (backend)
        {
            case KernelBackend.Auto:
            case KernelBackend.Managed:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(backend), backend, "Unknown kernel backend.");
        }

        if (shape.IsBinary)
        {
            return sparse ? new SparseLogisticGradientKernel(shape) : new DenseLogisticGradientKernel(shape);
        }

        if (shape.Layout == WeightLayout.FeatureMajor)
        {
            return new FeatureMajorSoftmaxGradientKernel(shape);
        }

        return sparse ? new SparseSoftmaxGradientKernel(shape) : new DenseSoftmaxGradientKernel(shape);
    }
}
