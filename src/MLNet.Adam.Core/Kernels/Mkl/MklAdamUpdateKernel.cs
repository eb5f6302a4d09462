using System.Numerics.Tensors;

namespace MLNet.Adam.Kernels.Mkl;

/// <summary>
/// The Adam update of <see cref="IAdamUpdateKernel"/> as a chain of MKL BLAS-1 and VML (high-accuracy mode) calls over
/// cache-sized chunks: <c>cblas_saxpy</c> (coupled L2), <c>cblas_saxpby</c> (moments, decay), <c>vmsSqr</c>,
/// <c>vmsSqrt</c>, <c>vmsLinearFrac</c> (<c>(StepSize m) / (sqrt(vm) + EpsilonHat)</c> and the L1 threshold in one call
/// each), <c>vmsAbs</c>, <c>vmsFdim</c>, <c>vmsCopySign</c> (L1 soft threshold).
/// </summary>
/// <remarks>
/// Results agree with the scalar reference within a few ulps, not bit for bit: MKL may contract <c>a x + b y</c> into
/// fused multiply-adds. The AMSGrad maximum runs in managed code so that a NaN second moment propagates exactly as in
/// the reference (VML's fmax would drop it). Multi-pass costs several times the memory traffic of the fused managed
/// kernel, which is why <see cref="KernelBackend.Auto"/> never selects this kernel (DESIGN.md section 2).
/// Thread-safe: scratch buffers are per thread.
/// </remarks>
internal sealed unsafe class MklAdamUpdateKernel : IAdamUpdateKernel
{
    // 3 buffers x 4096 floats = 48 KiB: the passes over one chunk stay in L2 while the call overhead is amortized.
    private const int ChunkLength = 4096;

    [ThreadStatic]
    private static float[]? _scratch;

    private readonly MklNative _mkl;

    internal MklAdamUpdateKernel(MklNative mkl) => _mkl = mkl;

    /// <inheritdoc />
    public string Name => "mkl-vml";

    /// <inheritdoc />
    public void Step(
        Span<float> parameters,
        ReadOnlySpan<float> gradient,
        Span<float> firstMoment,
        Span<float> secondMoment,
        Span<float> maxSecondMoment,
        in AdamStepScalars scalars)
    {
        AdamUpdateArguments.Check(parameters, gradient, firstMoment, secondMoment, maxSecondMoment, scalars.Amsgrad);
        int length = parameters.Length;
        if (length == 0)
        {
            return;
        }

        _mkl.LimitCallingThread();
        var scratch = _scratch ??= new float[3 * ChunkLength];
        for (int offset = 0; offset < length; offset += ChunkLength)
        {
            int n = Math.Min(ChunkLength, length - offset);
            StepChunk(
                parameters.Slice(offset, n),
                gradient.Slice(offset, n),
                firstMoment.Slice(offset, n),
                secondMoment.Slice(offset, n),
                scalars.Amsgrad ? maxSecondMoment.Slice(offset, n) : default,
                scalars,
                scratch);
        }
    }

    private void StepChunk(
        Span<float> parameters,
        ReadOnlySpan<float> gradient,
        Span<float> firstMoment,
        Span<float> secondMoment,
        Span<float> maxSecondMoment,
        in AdamStepScalars s,
        float[] scratch)
    {
        int n = parameters.Length;
        fixed (float* p = parameters)
        fixed (float* g = gradient)
        fixed (float* m = firstMoment)
        fixed (float* v = secondMoment)
        fixed (float* buffers = scratch)
        {
            float* effectiveGradient = buffers;
            float* work = buffers + ChunkLength;
            float* root = buffers + (2 * ChunkLength);

            float* ge = g;
            if (s.L2 != 0f)
            {
                new ReadOnlySpan<float>(g, n).CopyTo(new Span<float>(effectiveGradient, n));
                _mkl.Saxpy(n, s.L2, p, effectiveGradient);
                ge = effectiveGradient;
            }

            _mkl.Saxpby(n, 1f - s.Beta1, ge, s.Beta1, m);
            _mkl.Sqr(n, ge, work);
            _mkl.Saxpby(n, 1f - s.Beta2, work, s.Beta2, v);

            if (s.Amsgrad)
            {
                TensorPrimitives.Max(maxSecondMoment, secondMoment, maxSecondMoment);
                fixed (float* max = maxSecondMoment)
                {
                    _mkl.Sqrt(n, max, root);
                }
            }
            else
            {
                _mkl.Sqrt(n, v, root);
            }

            _mkl.LinearFraction(n, m, root, s.StepSize, 0f, 1f, s.EpsilonHat, work);
            if (s.DecayFactor != 1f)
            {
                _mkl.Saxpby(n, -1f, work, s.DecayFactor, p);
            }
            else
            {
                _mkl.Saxpy(n, -1f, work, p);
            }

            if (s.L1 > 0f)
            {
                // scaleA = 0 ignores the first operand: the numerator is the constant L1 * StepSize.
                _mkl.LinearFraction(n, root, root, 0f, s.L1 * s.StepSize, 1f, s.EpsilonHat, work);
                _mkl.Abs(n, p, effectiveGradient);
                _mkl.PositiveDifference(n, effectiveGradient, work, effectiveGradient);
                _mkl.CopySign(n, effectiveGradient, p, p);
            }
        }
    }
}
