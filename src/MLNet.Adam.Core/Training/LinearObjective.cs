using System.Numerics.Tensors;
using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>
/// The function one training run minimizes, defined on the optimizer's parameters θ (the weights of the
/// standardized features, <see cref="Standardization"/>): the example- and class-weighted log-loss of the raw rows
/// per unit of example weight, plus the penalties, all of them owned here and measured in the space where they act:
/// <list type="bullet">
/// <item>L2 with ML.NET's L-BFGS meaning, <c>L2 / 2 * ||w||^2</c> on the raw-space weights <c>w</c> (the map applied
/// to θ) per summed loss; its gradient is added here and carried into θ with the loss gradient.</item>
/// <item>L1, <c>L1 * ||θ_w||_1</c> per summed loss on the weights the optimizer holds (with standardization on, the
/// standardized weights, as glmnet penalizes them): applied by the optimizer's proximal step, whose strength
/// <see cref="Configure"/> sets.</item>
/// <item>Decoupled weight decay (AdamW): not a term of the function but a shrinkage of each step, also handed to the
/// optimizer by <see cref="Configure"/>.</item>
/// </list>
/// Biases are penalized only when <see cref="RegularizeBias"/> is set. The value the convergence test monitors
/// (<see cref="Value"/>) is this same function, so the run stops on what it optimizes; <see cref="RawModel"/>
/// returns the raw-space model at the end.
/// </summary>
internal sealed class LinearObjective
{
    private readonly float _l1;
    private readonly float _weightDecay;

    // Raw-space weights the kernels read; the parameters themselves when the map is the identity.
    private readonly float[]? _raw;

    public LinearObjective(Standardization map, ShardedGradient gradients, float l2, float l1, float weightDecay, bool regularizeBias, double totalWeight)
        : this(map, gradients, l2, l1, weightDecay, regularizeBias, totalWeight, l2InUpdate: false)
    {
    }

    private LinearObjective(Standardization map, ShardedGradient gradients, float l2, float l1, float weightDecay, bool regularizeBias, double totalWeight, bool l2InUpdate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        ArgumentOutOfRangeException.ThrowIfNegative(l1);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (!(totalWeight > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(totalWeight), totalWeight, "The total example weight must be positive.");
        }

        Map = map;
        Gradients = gradients;
        L2 = l2;
        _l1 = l1;
        _weightDecay = weightDecay;
        RegularizeBias = regularizeBias;
        TotalWeight = totalWeight;
        _raw = map.IsIdentity ? null : new float[map.Shape.ParameterCount];
        L2InUpdate = l2InUpdate && map.IsIdentity;
    }

    /// <summary>
    /// Whether the L2 gradient is added by the optimizer's update kernel (its coupled L2, <c>g + L2 / W * θ</c>) instead
    /// of by <see cref="Gradient"/>: the same function, because θ is the raw space when the map is the identity, with
    /// one pass over the parameters less per step. Only where nothing comes between the gradient and the update
    /// (no clipping, which must see the whole gradient).
    /// </summary>
    public bool L2InUpdate { get; }

    /// <summary>The model's shape.</summary>
    public ModelShape Shape => Map.Shape;

    /// <summary>The standardization map from θ to the raw-space model.</summary>
    public Standardization Map { get; }

    /// <summary>The loss and gradient kernels over raw rows.</summary>
    public ShardedGradient Gradients { get; }

    /// <summary>The L2 weight on the summed loss (ML.NET's meaning).</summary>
    public float L2 { get; }

    /// <summary>Whether biases are penalized too.</summary>
    public bool RegularizeBias { get; }

    /// <summary>Total example weight of the training rows: penalties on the summed loss are divided by it.</summary>
    public double TotalWeight { get; }

    /// <summary>Parameters the penalties apply to: the weights, and the biases when <see cref="RegularizeBias"/>.</summary>
    public int RegularizedCount => RegularizeBias ? Shape.ParameterCount : Shape.WeightCount;

    /// <summary>The same loss and map with another L2 weight and total weight (a point of the L2 path, a fold).</summary>
    public LinearObjective With(float l2, double totalWeight) => new(Map, Gradients, l2, _l1, _weightDecay, RegularizeBias, totalWeight, L2InUpdate);

    /// <summary>This objective with the L2 gradient left to the update kernel where the map allows it (see <see cref="L2InUpdate"/>).</summary>
    public LinearObjective WithL2InUpdate() => Map.IsIdentity && !L2InUpdate ? new(Map, Gradients, L2, _l1, _weightDecay, RegularizeBias, TotalWeight, l2InUpdate: true) : this;

    /// <summary>
    /// The optimizer's hyperparameters with this objective's proximal L1 strength (per unit weight), its weight decay
    /// and bias rule; the optimizer's own coupled L2 is this objective's L2 per unit weight when
    /// <see cref="L2InUpdate"/>, else off (the L2 gradient is then part of <see cref="Gradient"/>).
    /// </summary>
    public AdamHyperparameters Configure(AdamHyperparameters hyperparameters) => hyperparameters with
    {
        L2Regularization = L2InUpdate ? (float)(L2 / TotalWeight) : 0f,
        L1Regularization = (float)(_l1 / TotalWeight),
        WeightDecay = _weightDecay,
        RegularizeBias = RegularizeBias,
    };

    /// <summary>
    /// The raw-space parameters of <paramref name="theta"/>: a buffer owned by this objective (valid until the next
    /// call), or <paramref name="theta"/> itself when the map is the identity.
    /// </summary>
    public float[] Raw(float[] theta)
    {
        if (_raw is null)
        {
            return theta;
        }

        Map.ToRaw(theta, _raw);
        return _raw;
    }

    /// <summary>
    /// Writes into <paramref name="gradient"/> the gradient with respect to θ of the batch's mean loss plus the L2
    /// term (per unit weight; without it when <see cref="L2InUpdate"/>), and returns the batch's summed weighted loss (not finite when the model diverged; the
    /// gradient is then meaningless).
    /// </summary>
    public double Gradient(MiniBatch batch, float[] theta, double batchWeight, float[] gradient)
    {
        var raw = Raw(theta);
        double loss = Gradients.Compute(batch, raw, gradient, (float)(1 / batchWeight));
        if (!double.IsFinite(loss))
        {
            return loss;
        }

        if (L2 > 0 && !L2InUpdate)
        {
            var g = gradient.AsSpan(0, RegularizedCount);
            TensorPrimitives.MultiplyAdd(raw.AsSpan(0, RegularizedCount), (float)(L2 / TotalWeight), g, g);
        }

        Map.GradientToStandardized(gradient);
        return loss;
    }

    /// <summary>The penalty per unit weight at θ: the L2 term on the raw weights and the L1 term on θ's weights.</summary>
    public double Penalty(float[] theta)
    {
        double term = 0;
        if (L2 > 0)
        {
            var raw = Raw(theta).AsSpan(0, RegularizedCount);
            term += 0.5 * L2 * TensorPrimitives.Dot(raw, raw) / TotalWeight;
        }

        if (_l1 > 0)
        {
            term += _l1 * TensorPrimitives.SumOfMagnitudes(theta.AsSpan(0, RegularizedCount)) / TotalWeight;
        }

        return term;
    }

    /// <summary>The objective at θ given the mean loss per unit weight there (or an estimate of it).</summary>
    public double Value(double meanLoss, float[] theta) => meanLoss + Penalty(theta);

    /// <summary>The raw-space model of θ in the canonical layout (class-major weights, then biases): a new array.</summary>
    public float[] RawModel(float[] theta) => ParameterLayout.ToCanonical(Shape, Raw(theta));
}
