namespace MLNet.Adam.Kernels.Mkl;

/// <summary>Argument checks shared by the MKL gradient kernels (done before any pointer reaches native code).</summary>
internal static class GradientArguments
{
    internal static void Check(ModelShape shape, bool sparse, MiniBatch batch, int start, int count, int parameterLength, int gradientLength)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsSparse != sparse)
        {
            throw new ArgumentException(sparse ? "This kernel needs a sparse (CSR) batch." : "This kernel needs a dense batch.", nameof(batch));
        }

        if (batch.FeatureCount != shape.FeatureCount)
        {
            throw new ArgumentException($"The batch has {batch.FeatureCount} features; the model has {shape.FeatureCount}.", nameof(batch));
        }

        if (start < 0 || count < 0 || start > batch.Count - count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {start}..{start + count - 1} are outside the batch of {batch.Count} rows.");
        }

        if (parameterLength != shape.ParameterCount)
        {
            throw new ArgumentException($"Expected {shape.ParameterCount} parameters, got {parameterLength}.", "parameters");
        }

        if (gradientLength != shape.ParameterCount)
        {
            throw new ArgumentException($"Expected a gradient of {shape.ParameterCount} values, got {gradientLength}.", "gradient");
        }
    }
}
