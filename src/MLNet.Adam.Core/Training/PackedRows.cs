using System.Runtime.CompilerServices;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Training rows held in contiguous float32 storage, with their labels and example weights: dense rows back to back
/// (<c>Count * FeatureCount</c> values), or CSR for sparse data. Filled once, in the order the rows were read; later
/// passes copy rows, in any order, into a <see cref="MiniBatch"/> without touching the source again.
/// </summary>
internal sealed class PackedRows
{
    private float[] _dense;
    private long[] _rowStarts;
    private int[] _indices;
    private float[] _values;
    private int[] _labels;
    private float[] _weights;

    /// <summary>Creates an empty store.</summary>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="isSparse">True to keep rows as CSR, false for dense rows.</param>
    /// <param name="expectedRows">A capacity hint (0 when unknown).</param>
    public PackedRows(int featureCount, bool isSparse, long expectedRows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        FeatureCount = featureCount;
        IsSparse = isSparse;
        // With a known row count the storage is allocated once at its final size (no growth peak).
        int rows = (int)Math.Clamp(expectedRows, 16, int.MaxValue - 2);
        _dense = isSparse ? [] : new float[Math.Min((long)rows * featureCount, Array.MaxLength)];
        _rowStarts = new long[rows + 1];
        _indices = isSparse ? new int[Math.Min((long)rows * 8, Array.MaxLength)] : [];
        _values = isSparse ? new float[_indices.Length] : [];
        _labels = new int[rows];
        _weights = new float[rows];
    }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Whether rows are stored as CSR.</summary>
    public bool IsSparse { get; }

    /// <summary>Rows stored.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes needed by the rows stored so far (values, indices, labels, weights, row starts).</summary>
    public long Bytes => IsSparse
        ? (_rowStarts[Count] * (sizeof(int) + sizeof(float))) + (Count * (long)(sizeof(long) + sizeof(int) + sizeof(float)))
        : Count * (((long)FeatureCount * sizeof(float)) + sizeof(int) + sizeof(float));

    /// <summary>Bytes one more row of <paramref name="storedValues"/> explicit values adds.</summary>
    public long BytesPerRow(int storedValues) => IsSparse
        ? ((long)storedValues * (sizeof(int) + sizeof(float))) + sizeof(long) + sizeof(int) + sizeof(float)
        : ((long)FeatureCount * sizeof(float)) + sizeof(int) + sizeof(float);

    /// <summary>Feature values stored (all of them for dense rows).</summary>
    public long StoredValues => IsSparse ? _rowStarts[Count] : (long)Count * FeatureCount;

    /// <summary>Class index of each row.</summary>
    public ReadOnlySpan<int> Labels => _labels.AsSpan(0, Count);

    /// <summary>Example weight of each row.</summary>
    public ReadOnlySpan<float> Weights => _weights.AsSpan(0, Count);

    /// <summary>Appends a row given densely.</summary>
    public void AddDense(ReadOnlySpan<float> features, int label, float weight)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        }

        GrowRows();
        if (IsSparse)
        {
            long start = _rowStarts[Count];
            int nonZero = 0;
            foreach (var x in features)
            {
                nonZero += x != 0 ? 1 : 0;
            }

            GrowEntries(start + nonZero);
            long k = start;
            for (int j = 0; j < features.Length; j++)
            {
                if (features[j] != 0)
                {
                    _indices[k] = j;
                    _values[k] = features[j];
                    k++;
                }
            }

            _rowStarts[Count + 1] = k;
        }
        else
        {
            long offset = (long)Count * FeatureCount;
            GrowDense(offset + FeatureCount);
            features.CopyTo(_dense.AsSpan((int)offset, FeatureCount));
        }

        Finish(label, weight);
    }

    /// <summary>Appends a row given by ascending <paramref name="indices"/> and their <paramref name="values"/>.</summary>
    public void AddSparse(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int label, float weight)
    {
        if (indices.Length != values.Length)
        {
            throw new ArgumentException("Indices and values must have the same length.", nameof(values));
        }

        GrowRows();
        if (IsSparse)
        {
            long start = _rowStarts[Count];
            GrowEntries(start + indices.Length);
            indices.CopyTo(_indices.AsSpan((int)start));
            values.CopyTo(_values.AsSpan((int)start));
            _rowStarts[Count + 1] = start + indices.Length;
        }
        else
        {
            long offset = (long)Count * FeatureCount;
            GrowDense(offset + FeatureCount);
            var row = _dense.AsSpan((int)offset, FeatureCount);
            row.Clear();
            for (int k = 0; k < indices.Length; k++)
            {
                row[indices[k]] = values[k];
            }
        }

        Finish(label, weight);
    }

    /// <summary>Appends the stored rows <paramref name="rows"/> to <paramref name="batch"/>, in that order.</summary>
    // Per-row copy on every step: optimized from the first call (tier-0 code here dominated short fits).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyTo(ReadOnlySpan<int> rows, MiniBatch batch)
    {
        foreach (int r in rows)
        {
            AppendTo(r, batch);
        }
    }

    /// <summary>Appends the stored rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1 to <paramref name="batch"/>.</summary>
    // Per-row copy on every step: optimized from the first call (tier-0 code here dominated short fits).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyRange(int start, int count, MiniBatch batch)
    {
        for (int r = start; r < start + count; r++)
        {
            AppendTo(r, batch);
        }
    }

    /// <summary>Multiplies each row's weight by the weight of its class.</summary>
    public void ApplyClassWeights(ReadOnlySpan<float> classWeights)
    {
        for (int r = 0; r < Count; r++)
        {
            _weights[r] *= classWeights[_labels[r]];
        }
    }

    /// <summary>Releases unused capacity once filling is done.</summary>
    public void TrimExcess()
    {
        Array.Resize(ref _labels, Count);
        Array.Resize(ref _weights, Count);
        Array.Resize(ref _rowStarts, Count + 1);
        if (IsSparse)
        {
            Array.Resize(ref _indices, (int)_rowStarts[Count]);
            Array.Resize(ref _values, (int)_rowStarts[Count]);
        }
        else
        {
            Array.Resize(ref _dense, Count * FeatureCount);
        }
    }

    private void AppendTo(int r, MiniBatch batch)
    {
        if (IsSparse)
        {
            int start = (int)_rowStarts[r];
            int length = (int)(_rowStarts[r + 1] - start);
            batch.AddSparse(_indices.AsSpan(start, length), _values.AsSpan(start, length), _labels[r], _weights[r]);
        }
        else
        {
            batch.AddDense(_dense.AsSpan(r * FeatureCount, FeatureCount), _labels[r], _weights[r]);
        }
    }

    private void Finish(int label, float weight)
    {
        _labels[Count] = label;
        _weights[Count] = weight;
        Count++;
        if (!IsSparse)
        {
            _rowStarts[Count] = 0;
        }
    }

    private void GrowRows()
    {
        if (Count == int.MaxValue - 1)
        {
            throw new InvalidOperationException("More than 2^31 - 2 rows cannot be packed into memory.");
        }

        if (Count < _labels.Length)
        {
            return;
        }

        int size = (int)Math.Min((long)_labels.Length * 2, int.MaxValue - 1);
        Array.Resize(ref _labels, size);
        Array.Resize(ref _weights, size);
        Array.Resize(ref _rowStarts, size + 1);
    }

    private void GrowDense(long needed)
    {
        if (needed <= _dense.Length)
        {
            return;
        }

        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"The packed rows need {needed} values, more than one array holds.");
        }

        Array.Resize(ref _dense, (int)Math.Min(Math.Max(needed, (long)_dense.Length * 2), Array.MaxLength));
    }

    private void GrowEntries(long needed)
    {
        if (needed <= _indices.Length)
        {
            return;
        }

        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"The packed rows need {needed} stored values, more than one array holds.");
        }

        int size = (int)Math.Min(Math.Max(needed, (long)_indices.Length * 2), Array.MaxLength);
        Array.Resize(ref _indices, size);
        Array.Resize(ref _values, size);
    }
}
