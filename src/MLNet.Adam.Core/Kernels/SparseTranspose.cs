using System.Runtime.CompilerServices;

namespace MLNet.Adam.Kernels;

/// <summary>
/// The transpose (CSC: entries grouped by feature, rows ascending within a feature) of a range of a sparse batch's
/// rows, built with a counting sort into buffers that grow once to the largest range seen. It lets a feature-major
/// kernel read each weight row and write each gradient row once per chunk instead of once per stored entry.
/// </summary>
internal sealed unsafe class SparseTranspose
{
    private readonly int[] _featureStarts;
    private int[] _rows = new int[256];
    private float[] _values = new float[256];

    /// <summary>Creates buffers for <paramref name="featureCount"/> features.</summary>
    public SparseTranspose(int featureCount) => _featureStarts = new int[featureCount + 1];

    /// <summary>Entries of feature j are <c>FeatureStarts[j] .. FeatureStarts[j+1]-1</c>.</summary>
    public ReadOnlySpan<int> FeatureStarts => _featureStarts;

    /// <summary>Row of each entry, relative to the first row of the range.</summary>
    public ReadOnlySpan<int> Rows => _rows;

    /// <summary>Value of each entry.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>Transposes rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1, checking every index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(MiniBatch batch, int start, int count)
    {
        int f = _featureStarts.Length - 1;
        var rowStarts = batch.RowStarts;
        int first = rowStarts[start], last = rowStarts[start + count];
        if (last - first > _rows.Length)
        {
            int size = Math.Max(last - first, 2 * _rows.Length);
            _rows = new int[size];
            _values = new float[size];
        }

        Array.Clear(_featureStarts);
        fixed (int* indices = batch.Indices, starts = _featureStarts, rows = _rows, rowStart = rowStarts)
        fixed (float* values = batch.Values, entries = _values)
        {
            for (int e = first; e < last; e++)
            {
                int j = indices[e];
                GradientKernelSupport.CheckIndex(j, f);
                starts[j + 1]++;
            }

            for (int j = 0; j < f; j++)
            {
                starts[j + 1] += starts[j];
            }

            // Fill by advancing each feature's start, then shift the starts back by one feature.
            for (int i = 0; i < count; i++)
            {
                for (int e = rowStart[start + i]; e < rowStart[start + i + 1]; e++)
                {
                    int slot = starts[indices[e]]++;
                    rows[slot] = i;
                    entries[slot] = values[e];
                }
            }

            for (int j = f; j > 0; j--)
            {
                starts[j] = starts[j - 1];
            }

            starts[0] = 0;
        }
    }
}
