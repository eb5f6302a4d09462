using MLNet.Adam.Objectives;

namespace MLNet.Adam.Kernels.Mkl;

/// <summary>
/// The managed half of the MKL gradient kernels: given the logits of a block of rows (computed by MKL without the
/// biases), adds the biases, evaluates the stable logistic or softmax cross-entropy of <see cref="IGradientKernel"/>,
/// and turns the logits into weighted residuals <c>weight_i (p_ik - y_ik)</c> for the second matrix product.
/// </summary>
/// <remarks>
/// Element (row i, output k) sits at <c>i * RowStride + k * OutputStride</c>, so one code path serves row-major
/// (sgemm, sparse row-major) and column-major (sparse mm against class-major weights) blocks.
/// </remarks>
internal readonly ref struct LogitBlock
{
    private readonly Span<float> _values;
    private readonly int _rows;
    private readonly int _outputs;
    private readonly int _rowStride;
    private readonly int _outputStride;

    internal LogitBlock(Span<float> values, int rows, int outputs, bool rowMajor)
    {
        _values = values;
        _rows = rows;
        _outputs = outputs;
        _rowStride = rowMajor ? outputs : 1;
        _outputStride = rowMajor ? 1 : rows;
    }

    /// <summary>Rejects labels outside the model's classes before any of them is used as an index.</summary>
    internal static void CheckLabels(ModelShape shape, MiniBatch batch, int start, int count)
    {
        var labels = batch.Labels.Slice(start, count);
        for (int i = 0; i < labels.Length; i++)
        {
            GradientKernelSupport.CheckLabel(shape, labels[i], start + i);
        }
    }

    /// <summary>
    /// Replaces the logits with weighted residuals, writes the bias gradient (their column sums) and returns the
    /// weighted loss.
    /// </summary>
    internal double ToResiduals(ReadOnlySpan<float> biases, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, Span<float> biasGradient)
    {
        double loss = 0;
        for (int i = 0; i < _rows; i++)
        {
            int row = i * _rowStride;
            float weight = weights[i];
            if (_outputs == 1)
            {
                float z = Saturate(_values[row] + biases[0]);
                int sign = labels[i] == 1 ? 1 : -1;
                loss += weight * LogisticMath.Log1PExp(-sign * (double)z);
                _values[row] = weight * ((float)LogisticMath.Sigmoid(z) - (labels[i] == 1 ? 1f : 0f));
                continue;
            }

            float max = float.NegativeInfinity;
            for (int k = 0; k < _outputs; k++)
            {
                float z = Saturate(_values[row + (k * _outputStride)] + biases[k]);
                _values[row + (k * _outputStride)] = z;
                max = MathF.Max(max, z);
            }

            int label = labels[i];
            float labelLogit = _values[row + (label * _outputStride)];
            double sum = 0;
            for (int k = 0; k < _outputs; k++)
            {
                float e = MathF.Exp(_values[row + (k * _outputStride)] - max);
                _values[row + (k * _outputStride)] = e;
                sum += e;
            }

            loss += weight * (max + Math.Log(sum) - labelLogit);
            float scale = (float)(weight / sum);
            for (int k = 0; k < _outputs; k++)
            {
                int at = row + (k * _outputStride);
                _values[at] = (_values[at] * scale) - (k == label ? weight : 0f);
            }
        }

        // The bias gradient: each output's residuals summed over the rows in double (one output at a time, so no
        // per-call buffer of sums).
        for (int k = 0; k < _outputs; k++)
        {
            double sum = 0;
            for (int i = 0; i < _rows; i++)
            {
                sum += _values[(i * _rowStride) + (k * _outputStride)];
            }

            biasGradient[k] = (float)sum;
        }

        return loss;
    }

    /// <summary>Loss, weight and correctly classified weight of the block (the logits are left untouched).</summary>
    internal LossSummary Summarize(ReadOnlySpan<float> biases, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights)
    {
        double loss = 0;
        double total = 0;
        double correct = 0;
        for (int i = 0; i < _rows; i++)
        {
            int row = i * _rowStride;
            double weight = weights[i];
            total += weight;
            if (_outputs == 1)
            {
                float z = Saturate(_values[row] + biases[0]);
                int sign = labels[i] == 1 ? 1 : -1;
                loss += weight * LogisticMath.Log1PExp(-sign * (double)z);
                correct += (z > 0f ? 1 : 0) == labels[i] ? weight : 0;
                continue;
            }

            float max = float.NegativeInfinity;
            int best = 0;
            for (int k = 0; k < _outputs; k++)
            {
                float z = Saturate(_values[row + (k * _outputStride)] + biases[k]);
                if (z > max)
                {
                    max = z;
                    best = k;
                }
            }

            double sum = 0;
            for (int k = 0; k < _outputs; k++)
            {
                sum += MathF.Exp(Saturate(_values[row + (k * _outputStride)] + biases[k]) - max);
            }

            int label = labels[i];
            loss += weight * (max + Math.Log(sum) - Saturate(_values[row + (label * _outputStride)] + biases[label]));
            correct += best == label ? weight : 0;
        }

        return new LossSummary(loss, total, correct);
    }

    // A float overflow in the product becomes the largest float, as the reference kernel saturates its double logits.
    private static float Saturate(float z) => (float)LogisticMath.Saturate(z);
}
