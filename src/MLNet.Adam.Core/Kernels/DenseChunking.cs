namespace MLNet.Adam.Kernels;

/// <summary>How many dense rows a kernel processes between the logit pass and the gradient pass.</summary>
internal static class DenseChunking
{
    // The gradient pass re-reads the chunk's rows once per class block: the chunk should stay in L2 (which is at
    // least 512 KiB on the CPUs this targets), together with part of the weights.
    private const int ChunkBytes = 384 * 1024;

    // Row-wise updates keep the whole gradient in L1 next to 4 rows; 48 KiB is the smallest L1d of the CPUs targeted.
    private const int RowWiseGradientBytes = 24 * 1024;

    /// <summary>True when a gradient of <paramref name="weightCount"/> floats is small enough to update row by row.</summary>
    public static bool GradientFitsInL1(int weightCount) => weightCount * 4L <= RowWiseGradientBytes;

    /// <summary>Rows per chunk for <paramref name="featureCount"/> features: a multiple of 4 in 4..256.</summary>
    public static int RowsPerChunk(int featureCount)
    {
        long rows = ChunkBytes / (4L * featureCount);
        return (int)Math.Clamp(rows / 4 * 4, 4, 256);
    }
}
