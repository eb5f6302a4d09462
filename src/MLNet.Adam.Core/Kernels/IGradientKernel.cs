namespace MLNet.Adam.Kernels;

/// <summary>Loss totals of a range of rows, computed without a gradient (validation, progress).</summary>
/// <param name="WeightedLoss">Sum over rows of weight times cross-entropy (natural log).</param>
/// <param name="TotalWeight">Sum of the rows' weights.</param>
/// <param name="CorrectWeight">Sum of the weights of rows whose arg-max prediction equals the label.</param>
internal readonly record struct LossSummary(double WeightedLoss, double TotalWeight, double CorrectWeight);

/// <summary>
/// Loss and gradient of a linear model's cross-entropy over a range of mini-batch rows. One instance serves one
/// <see cref="ModelShape"/>; implementations (reference scalar, managed SIMD, MKL) share this signature so that
/// they can be tested against each other and swapped per <c>Fit</c>.
/// </summary>
/// <remarks>
/// Binary (logistic): <c>z = w·x + b</c>, loss <c>log(1 + exp(-s z))</c> with <c>s = +1</c> for label 1 and <c>-1</c>
/// for label 0. Multiclass (softmax): <c>z_k = W_k·x + b_k</c>, loss <c>logsumexp(z) - z_y</c>.
/// Both are computed stably for logits of any magnitude. Sums are weighted by the example weights and are not
/// normalized: the caller divides by the total weight. Instances may keep scratch buffers and are not thread-safe:
/// use one per thread.
/// </remarks>
internal interface IGradientKernel
{
    /// <summary>A short name of the implementation, for logs and benchmarks.</summary>
    string Name { get; }

    /// <summary>The model shape this kernel computes for.</summary>
    ModelShape Shape { get; }

    /// <summary>
    /// Overwrites <paramref name="gradient"/> (length <see cref="ModelShape.ParameterCount"/>) with
    /// <c>sum_i weight_i * d loss_i / d parameters</c> over rows <paramref name="start"/> ..
    /// <paramref name="start"/> + <paramref name="count"/> - 1 and returns <c>sum_i weight_i * loss_i</c>.
    /// </summary>
    double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient);

    /// <summary>
    /// As <see cref="LossAndGradient(MiniBatch, int, int, ReadOnlySpan{float}, Span{float})"/>, with the gradient
    /// multiplied by <paramref name="scale"/> (the loss is not). By default a second pass over the gradient; the
    /// feature-major kernel (wide sparse models, whose gradient touches few of their parameters) scales each row's
    /// residuals instead, which saves a pass over every parameter per step.
    /// </summary>
    double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient, float scale)
    {
        double loss = LossAndGradient(batch, start, count, parameters, gradient);
        if (scale != 1f)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, scale, gradient);
        }

        return loss;
    }

    /// <summary>Loss, weight and correctly-classified weight over a range of rows, without a gradient.</summary>
    LossSummary Loss(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters);
}
