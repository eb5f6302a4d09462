using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Kernels;

/// <summary>
/// Which backend runs each kernel of one <c>Fit</c>, and why: resolved once per <c>Fit</c> from the requested
/// <see cref="KernelBackend"/>, the model shape, the storage of the features and the CPU, and recorded in the
/// training summary (<see cref="ToString"/>).
/// </summary>
/// <remarks>
/// The <see cref="KernelBackend.Auto"/> rule picks Intel MKL only where it was measured faster (DESIGN.md section 2):
/// the Adam update is always managed; the sparse gradient uses MKL's <c>mkl_sparse_s_mm</c> for models with at most
/// 10 outputs (binary included); the dense gradient uses MKL's <c>cblas_sgemm</c> only on Intel CPUs
/// ("GenuineIntel") and for at least 10 classes. Without a loadable MKL, Auto is managed everywhere.
/// <see cref="KernelBackend.Mkl"/> runs every kernel on MKL and throws when it cannot be loaded.
/// </remarks>
/// <param name="Requested">The backend asked for.</param>
/// <param name="Update">The backend running the Adam update (<see cref="KernelBackend.Managed"/> or <see cref="KernelBackend.Mkl"/>).</param>
/// <param name="Gradient">The backend running the loss and gradient (<see cref="KernelBackend.Managed"/> or <see cref="KernelBackend.Mkl"/>).</param>
/// <param name="Reason">Why, in a few words, including the MKL version or why MKL is unavailable.</param>
internal sealed record KernelPlan(KernelBackend Requested, KernelBackend Update, KernelBackend Gradient, string Reason)
{
    /// <summary>Resolves the plan for a model of <paramref name="shape"/> on dense or sparse batches.</summary>
    /// <exception cref="InvalidOperationException"><see cref="KernelBackend.Mkl"/> is requested and MKL cannot be loaded.</exception>
    public static KernelPlan Resolve(ModelShape shape, bool sparse, KernelBackend requested)
    {
        switch (requested)
        {
            case KernelBackend.Managed:
                return new(requested, KernelBackend.Managed, KernelBackend.Managed, "managed backend requested");
            case KernelBackend.Mkl:
                MklBackend.Require();
                return new(requested, KernelBackend.Mkl, KernelBackend.Mkl, "MKL backend requested; " + MklBackend.Describe());
            case KernelBackend.Auto:
                if (!MklBackend.TryLoad(out var missing))
                {
                    return new(requested, KernelBackend.Managed, KernelBackend.Managed, "MKL unavailable: " + missing);
                }

                bool mkl = MklBackend.AutoPrefersMklGradient(shape, sparse, MklBackend.CpuVendor, out var why);
                return new(requested, KernelBackend.Managed, mkl ? KernelBackend.Mkl : KernelBackend.Managed, $"{why}; {MklBackend.Describe()}");
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown kernel backend.");
        }
    }

    /// <summary>One line for the training summary, for example <c>update: Managed, gradient: Mkl (Auto: ...)</c>.</summary>
    public override string ToString() => $"update: {Update}, gradient: {Gradient} ({Requested}: {Reason})";
}
