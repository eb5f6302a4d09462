using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels;

/// <summary>
/// The slow twin of every gradient kernel: plain scalar loops in double precision over any shape, weight layout and
/// batch format. It defines the expected results in tests and is the baseline of the benchmarks.
/// </summary>
/// <remarks>
/// Logits are computed in double and saturated to the float range (as the fast kernels do after a float
/// overflow), so results stay finite for any finite inputs.
/// </remarks>
internal sealed class ReferenceGradientKernel : IGradientKernel
{
    private readonly double[] _logits;
    private readonly double[] _gradient;

    /// <summary>Creates a reference kernel for <paramref name="shape"/>.</summary>
    /// <param name="shape">Any binary or softmax shape, either layout.</param>
    public ReferenceGradientKernel(ModelShape shape)
    {
        Shape = shape;
        _logits = new double[shape.OutputCount];
        _gradient = new double[shape.ParameterCount];
    }

    /// <inheritdoc/>
    public string Name => "reference";

    /// <inheritdoc/>
    public ModelShape Shape { get; }

    /// <inheritdoc/>
    public double LossAndGradient(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, gradient, sparse: null, hasGradient: true);
        Array.Clear(_gradient);
        double loss = 0;
        for (int row = start; row < start + count; row++)
        {
            int label = batch.Labels[row];
            GradientKernelSupport.CheckLabel(Shape, label, row);
            double weight = batch.Weights[row];
            ComputeLogits(batch, row, parameters);
            loss += weight * RowLoss(label);
            ResidualsInPlace(label, weight);
            AddOuterProduct(batch, row);
        }

        for (int p = 0; p < _gradient.Length; p++)
        {
            gradient[p] = (float)_gradient[p];
        }

        return loss;
    }

    /// <inheritdoc/>
    public LossSummary Loss(MiniBatch batch, int start, int count, ReadOnlySpan<float> parameters)
    {
        GradientKernelSupport.Validate(Shape, batch, start, count, parameters, default, sparse: null, hasGradient: false);
        double loss = 0, total = 0, correct = 0;
        for (int row = start; row < start + count; row++)
        {
            int label = batch.Labels[row];
            GradientKernelSupport.CheckLabel(Shape, label, row);
            double weight = batch.Weights[row];
            ComputeLogits(batch, row, parameters);
            loss += weight * RowLoss(label);
            total += weight;
            bool isCorrect = Shape.IsBinary ? LogisticMath.IsCorrect(_logits[0], label) : ArgMax() == label;
            correct += isCorrect ? weight : 0;
        }

        return new LossSummary(loss, total, correct);
    }

    private void ComputeLogits(MiniBatch batch, int row, ReadOnlySpan<float> parameters)
    {
        int f = Shape.FeatureCount;
        for (int o = 0; o < Shape.OutputCount; o++)
        {
            double z = parameters[Shape.BiasIndex(o)];
            if (batch.IsSparse)
            {
                for (int e = batch.RowStarts[row]; e < batch.RowStarts[row + 1]; e++)
                {
                    int j = batch.Indices[e];
                    GradientKernelSupport.CheckIndex(j, f);
                    z += (double)batch.Values[e] * parameters[Shape.WeightIndex(o, j)];
                }
            }
            else
            {
                var x = batch.DenseRow(row);
                for (int j = 0; j < f; j++)
                {
                    z += (double)x[j] * parameters[Shape.WeightIndex(o, j)];
                }
            }

            _logits[o] = LogisticMath.Saturate(z);
        }
    }

    private double RowLoss(int label)
    {
        if (Shape.IsBinary)
        {
            return LogisticMath.Loss(_logits[0], label);
        }

        double max = _logits[ArgMax()];
        double sum = 0;
        foreach (double z in _logits)
        {
            sum += Math.Exp(z - max);
        }

        return Math.Log(sum) + max - _logits[label];
    }

    // Turns the logits into weight * (probability - indicator of the label).
    private void ResidualsInPlace(int label, double weight)
    {
        if (Shape.IsBinary)
        {
            _logits[0] = weight * (LogisticMath.Sigmoid(_logits[0]) - label);
            return;
        }

        double max = _logits[ArgMax()];
        double sum = 0;
        for (int o = 0; o < _logits.Length; o++)
        {
            _logits[o] = Math.Exp(_logits[o] - max);
            sum += _logits[o];
        }

        for (int o = 0; o < _logits.Length; o++)
        {
            _logits[o] = weight * ((_logits[o] / sum) - (o == label ? 1 : 0));
        }
    }

    private void AddOuterProduct(MiniBatch batch, int row)
    {
        for (int o = 0; o < Shape.OutputCount; o++)
        {
            double r = _logits[o];
            _gradient[Shape.BiasIndex(o)] += r;
            if (batch.IsSparse)
            {
                for (int e = batch.RowStarts[row]; e < batch.RowStarts[row + 1]; e++)
                {
                    _gradient[Shape.WeightIndex(o, batch.Indices[e])] += r * batch.Values[e];
                }
            }
            else
            {
                var x = batch.DenseRow(row);
                for (int j = 0; j < x.Length; j++)
                {
                    _gradient[Shape.WeightIndex(o, j)] += r * x[j];
                }
            }
        }
    }

    // Lowest index on ties; NaN never wins (as in the fast kernels).
    private int ArgMax()
    {
        int best = 0;
        for (int o = 1; o < _logits.Length; o++)
        {
            if (_logits[o] > _logits[best])
            {
                best = o;
            }
        }

        return best;
    }
}
