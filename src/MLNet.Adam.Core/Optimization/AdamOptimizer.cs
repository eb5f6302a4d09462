using System.Globalization;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Optimization;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Algorithm 1) over one flat parameter vector whose first <c>regularizedCount</c> entries
/// are weights and the rest biases. With <c>t</c> the 1-based update number and <c>lr</c> the scheduled learning rate:
/// <code>
/// g   = gradient + L2 * p                       (weights only, coupled L2)
/// m   = beta1 * m + (1 - beta1) * g
/// v   = beta2 * v + (1 - beta2) * g * g
/// v^  = AMSGrad ? max(v^, v) : v                 (Reddi et al. 2018)
/// p   = p * (1 - lr * WeightDecay)               (weights only, decoupled: AdamW, Loshchilov &amp; Hutter 2019)
///       - lr_t * m / (sqrt(v^) + eps_t)           lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), eps_t = eps * sqrt(1 - beta2^t)
/// p   = sign(p) * max(|p| - L1 * s, 0)        (weights only: proximal L1, gives exact zeros)
///       s = lr / (sqrt(v^ / (1 - beta2^t)) + eps)  the coordinate's effective step
/// </code>
/// Folding the bias correction into <c>lr_t</c> and <c>eps_t</c> is the paper's efficient form (end of its section 2):
/// it equals <c>lr * mc / (sqrt(vc) + eps)</c> with the bias-corrected moments <c>mc = m / (1 - beta1^t)</c>,
/// <c>vc = v^ / (1 - beta2^t)</c>. L1 is soft-thresholding by each coordinate's effective step <c>s</c> (the step
/// applied to the bias-corrected gradient estimate <c>mc</c>): the proximal operator of L1 in Adam's diagonal metric.
/// The kernel receives <c>L1 * (1 - beta1^t)</c>, since its threshold is expressed through <c>lr_t</c>.
/// </summary>
/// <example>
/// <code>
/// var optimizer = new AdamOptimizer(new AdamHyperparameters { LearningRate = 0.01f }, parameters.Length, weightCount);
/// optimizer.Step(parameters, meanGradient, schedule.GetLearningRate(optimizer.State.Step));
/// </code>
/// </example>
public sealed class AdamOptimizer
{
    private const float SmallestNormal = 1.17549435E-38f; // 2^-126

    private readonly IAdamUpdateKernel _kernel;
    private readonly int _regularizedCount;

    /// <summary>Creates an optimizer with fresh state, running the fused managed SIMD update.</summary>
    /// <param name="hyperparameters">The hyperparameters; validated here.</param>
    /// <param name="parameterCount">Length of the parameter vector.</param>
    /// <param name="regularizedCount">Number of leading entries (the weights) subject to L1, L2 and weight decay.</param>
    public AdamOptimizer(AdamHyperparameters hyperparameters, int parameterCount, int regularizedCount)
        : this(hyperparameters, parameterCount, regularizedCount, KernelBackend.Managed)
    {
    }

    /// <summary>Creates an optimizer with fresh state.</summary>
    /// <param name="hyperparameters">The hyperparameters; validated here.</param>
    /// <param name="parameterCount">Length of the parameter vector.</param>
    /// <param name="regularizedCount">Number of leading entries (the weights) subject to L1, L2 and weight decay.</param>
    /// <param name="backend">
    /// Which implementation runs the update: <see cref="KernelBackend.Managed"/> and <see cref="KernelBackend.Auto"/> give
    /// the fused single-pass SIMD kernel, <see cref="KernelBackend.Mkl"/> Intel MKL's.
    /// </param>
    /// <exception cref="InvalidOperationException"><see cref="KernelBackend.Mkl"/> is requested and MKL cannot be loaded.</exception>
    public AdamOptimizer(AdamHyperparameters hyperparameters, int parameterCount, int regularizedCount, KernelBackend backend)
        : this(hyperparameters, NewState(hyperparameters, parameterCount), regularizedCount, KernelFactory.CreateAdamUpdate(backend))
    {
    }

    /// <summary>Creates an optimizer continuing from <paramref name="state"/>, which it then updates in place (fused managed update).</summary>
    /// <param name="hyperparameters">The hyperparameters; validated here. Their AMSGrad setting must match the state's.</param>
    /// <param name="state">The state to continue from (for example one read by <see cref="AdamState.Load"/>); not copied.</param>
    /// <param name="regularizedCount">Number of leading entries (the weights) subject to L1, L2 and weight decay.</param>
    public AdamOptimizer(AdamHyperparameters hyperparameters, AdamState state, int regularizedCount)
        : this(hyperparameters, state, regularizedCount, KernelBackend.Managed)
    {
    }

    /// <summary>Creates an optimizer continuing from <paramref name="state"/>, which it then updates in place.</summary>
    /// <param name="hyperparameters">The hyperparameters; validated here. Their AMSGrad setting must match the state's.</param>
    /// <param name="state">The state to continue from (for example one read by <see cref="AdamState.Load"/>); not copied.</param>
    /// <param name="regularizedCount">Number of leading entries (the weights) subject to L1, L2 and weight decay.</param>
    /// <param name="backend">Which implementation runs the update, as for the other constructors.</param>
    /// <exception cref="InvalidOperationException"><see cref="KernelBackend.Mkl"/> is requested and MKL cannot be loaded.</exception>
    public AdamOptimizer(AdamHyperparameters hyperparameters, AdamState state, int regularizedCount, KernelBackend backend)
        : this(hyperparameters, state, regularizedCount, KernelFactory.CreateAdamUpdate(backend))
    {
    }

    /// <summary>Creates an optimizer with fresh state running the given update kernel.</summary>
    internal AdamOptimizer(AdamHyperparameters hyperparameters, int parameterCount, int regularizedCount, IAdamUpdateKernel kernel)
        : this(hyperparameters, NewState(hyperparameters, parameterCount), regularizedCount, kernel)
    {
    }

    /// <summary>Creates an optimizer continuing from <paramref name="state"/> running the given update kernel.</summary>
    internal AdamOptimizer(AdamHyperparameters hyperparameters, AdamState state, int regularizedCount, IAdamUpdateKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(state);
        Hyperparameters = hyperparameters.Validate();
        if (regularizedCount < 0 || regularizedCount > state.ParameterCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(regularizedCount),
                regularizedCount,
                $"The regularized count must be between 0 and the parameter count {state.ParameterCount}.");
        }

        if (state.Amsgrad != hyperparameters.Amsgrad)
        {
            throw new ArgumentException(
                $"The state was created with AMSGrad {(state.Amsgrad ? "on" : "off")} but the hyperparameters have it {(hyperparameters.Amsgrad ? "on" : "off")}.",
                nameof(state));
        }

        State = state;
        _regularizedCount = regularizedCount;
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
    }

    /// <summary>The hyperparameters.</summary>
    public AdamHyperparameters Hyperparameters { get; }

    /// <summary>The state (step, moments), updated in place by <see cref="Step(Span{float}, ReadOnlySpan{float}, float)"/>.</summary>
    public AdamState State { get; }

    /// <summary>Number of parameters.</summary>
    public int ParameterCount => State.ParameterCount;

    /// <summary>Number of leading parameters subject to L1, L2 and weight decay (unless biases are regularized too).</summary>
    public int RegularizedCount => _regularizedCount;

    /// <summary>The update kernel in use.</summary>
    internal IAdamUpdateKernel Kernel => _kernel;

    /// <summary>
    /// Applies one update with the base learning rate <see cref="AdamHyperparameters.LearningRate"/> (no schedule)
    /// and increments <see cref="AdamState.Step"/>.
    /// </summary>
    /// <param name="parameters">The parameters, updated in place; length <see cref="ParameterCount"/>.</param>
    /// <param name="gradient">The mean gradient of the loss; length <see cref="ParameterCount"/>; not modified.</param>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient) => Step(parameters, gradient, Hyperparameters.LearningRate);

    /// <summary>
    /// Applies one update with learning rate <paramref name="learningRate"/> (from a schedule) to
    /// <paramref name="parameters"/> given the mean gradient, and increments <see cref="AdamState.Step"/>.
    /// </summary>
    /// <param name="parameters">The parameters, updated in place; length <see cref="ParameterCount"/>.</param>
    /// <param name="gradient">The mean gradient of the loss; length <see cref="ParameterCount"/>; not modified.</param>
    /// <param name="learningRate">The learning rate for this update; non-negative and finite (0 leaves the parameters unchanged but still advances the moments).</param>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate)
    {
        int n = State.ParameterCount;
        if (parameters.Length != n)
        {
            throw new ArgumentException($"Expected {n} parameters, got {parameters.Length}.", nameof(parameters));
        }

        if (gradient.Length != n)
        {
            throw new ArgumentException($"Expected a gradient of {n} entries, got {gradient.Length}.", nameof(gradient));
        }

        if (!(learningRate >= 0f) || !float.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(
                nameof(learningRate),
                learningRate,
                string.Create(CultureInfo.InvariantCulture, $"The learning rate must be non-negative and finite; got {learningRate:R}."));
        }

        var h = Hyperparameters;
        long t = State.Step + 1;

        // Double precision keeps 1 - beta^t accurate for beta close to 1; the kernels receive float scalars.
        double correction1 = 1.0 - Math.Pow(h.Beta1, t);
        double sqrtCorrection2 = Math.Sqrt(1.0 - Math.Pow(h.Beta2, t));
        float stepSize = (float)(learningRate * sqrtCorrection2 / correction1);
        // An epsilon of 0 (or one so small that eps_t rounds to 0) would divide 0 by 0 for a coordinate whose gradient
        // has been 0 so far. The smallest normal float is used instead: sqrt(v) >= 2^-75 for every positive float v,
        // and adding 2^-126 to it rounds back to sqrt(v), so every other coordinate is updated exactly as with 0.
        float epsilonHat = Math.Max((float)(h.Epsilon * sqrtCorrection2), SmallestNormal);
        float decayFactor = (float)(1.0 - ((double)learningRate * h.WeightDecay));

        // The kernel thresholds by L1 * lr_t / (sqrt(v) + eps_t) = L1 * s / (1 - beta1^t); pre-scaling L1 makes it L1 * s.
        float l1 = (float)(h.L1Regularization * correction1);
        var weights = new AdamStepScalars(h.Beta1, h.Beta2, stepSize, epsilonHat, h.L2Regularization, decayFactor, l1, h.Amsgrad);
        int regularized = h.RegularizeBias ? n : _regularizedCount;
        Apply(parameters, gradient, 0, regularized, weights);
        Apply(parameters, gradient, regularized, n - regularized, weights with { L2 = 0f, DecayFactor = 1f, L1 = 0f });
        State.Advance(t);
    }

    private static AdamState NewState(AdamHyperparameters hyperparameters, int parameterCount)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        return new AdamState(parameterCount, hyperparameters.Amsgrad);
    }

    private void Apply(Span<float> parameters, ReadOnlySpan<float> gradient, int start, int count, in AdamStepScalars scalars)
    {
        if (count == 0)
        {
            return;
        }

        var state = State;
        _kernel.Step(
            parameters.Slice(start, count),
            gradient.Slice(start, count),
            state.FirstMoment.AsSpan(start, count),
            state.SecondMoment.AsSpan(start, count),
            state.Amsgrad ? state.MaxSecondMoment.AsSpan(start, count) : Span<float>.Empty,
            scalars);
    }
}
