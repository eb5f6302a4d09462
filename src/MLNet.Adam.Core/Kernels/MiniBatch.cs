using System.Runtime.CompilerServices;

namespace MLNet.Adam.Kernels;

/// <summary>
/// A reusable buffer of up to <see cref="Capacity"/> training examples: features (dense row-major, or sparse CSR rows),
/// integer labels and example weights. Buffers grow as needed and are reused between batches, so filling a batch
/// does not allocate once it has reached its working size.
/// </summary>
/// <remarks>
/// Labels are class indices: 0 or 1 for binary logistic regression, 0..K-1 for softmax regression.
/// A batch is either dense (<see cref="IsSparse"/> false: <see cref="DenseValues"/> holds
/// <c>Count * FeatureCount</c> values) or sparse (CSR: row <c>i</c> has entries
/// <c>RowStarts[i] .. RowStarts[i+1]-1</c> of <see cref="Indices"/> and <see cref="Values"/>; indices ascending).
/// </remarks>
internal sealed class MiniBatch
{
    private float[] _dense;
    private int[] _rowStarts;
    private int[] _indices;
    private float[] _values;
    private int[] _labels;
    private float[] _weights;

    /// <summary>Creates an empty batch.</summary>
    /// <param name="featureCount">Number of features of every row (F).</param>
    /// <param name="capacity">Maximum number of rows.</param>
    /// <param name="isSparse">Whether rows are stored as CSR (true) or dense row-major (false).</param>
    public MiniBatch(int featureCount, int capacity, bool isSparse)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        FeatureCount = featureCount;
        Capacity = capacity;
        IsSparse = isSparse;
        _dense = isSparse ? Array.Empty<float>() : new float[checked(featureCount * capacity)];
        _rowStarts = new int[capacity + 1];
        _indices = isSparse ? new int[Math.Max(16, capacity * 8)] : Array.Empty<int>();
        _values = isSparse ? new float[_indices.Length] : Array.Empty<float>();
        _labels = new int[capacity];
        _weights = new float[capacity];
    }

    /// <summary>Number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Maximum number of rows.</summary>
    public int Capacity { get; }

    /// <summary>True when rows are stored sparse (CSR).</summary>
    public bool IsSparse { get; }

    /// <summary>Number of rows currently held.</summary>
    public int Count { get; private set; }

    /// <summary>True when <see cref="Count"/> equals <see cref="Capacity"/>.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>Dense features, row-major, <c>Count * FeatureCount</c> valid values (empty for sparse batches).</summary>
    public ReadOnlySpan<float> DenseValues => _dense.AsSpan(0, IsSparse ? 0 : Count * FeatureCount);

    /// <summary>CSR row starts, <c>Count + 1</c> entries (all zero for dense batches).</summary>
    public ReadOnlySpan<int> RowStarts => _rowStarts.AsSpan(0, Count + 1);

    /// <summary>CSR column indices of all rows.</summary>
    public ReadOnlySpan<int> Indices => _indices.AsSpan(0, IsSparse ? _rowStarts[Count] : 0);

    /// <summary>CSR values of all rows.</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, IsSparse ? _rowStarts[Count] : 0);

    /// <summary>Class index of each row.</summary>
    public ReadOnlySpan<int> Labels => _labels.AsSpan(0, Count);

    /// <summary>Example weight of each row.</summary>
    public ReadOnlySpan<float> Weights => _weights.AsSpan(0, Count);

    /// <summary>Dense features of row <paramref name="row"/> (dense batches only).</summary>
    public ReadOnlySpan<float> DenseRow(int row) => _dense.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>Sum of the example weights of the rows held.</summary>
    public double TotalWeight()
    {
        double sum = 0;
        foreach (var w in Weights)
        {
            sum += w;
        }

        return sum;
    }

    /// <summary>Removes all rows, keeping the buffers.</summary>
    public void Clear() => Count = 0;

    /// <summary>Appends a dense row. In a sparse batch the row's non-zero entries are stored.</summary>
    // Per-row copy on every step: optimized from the first call (tier-0 code here dominated short fits).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddDense(ReadOnlySpan<float> features, int label, float weight)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        }

        EnsureRoom();
        if (IsSparse)
        {
            int start = _rowStarts[Count];
            int nonZero = 0;
            foreach (var x in features)
            {
                if (x != 0)
                {
                    nonZero++;
                }
            }

            EnsureSparseCapacity(start + nonZero);
            int k = start;
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
            features.CopyTo(_dense.AsSpan(Count * FeatureCount, FeatureCount));
        }

        Finish(label, weight);
    }

    /// <summary>
    /// Appends a sparse row given by ascending <paramref name="indices"/> and their <paramref name="values"/>.
    /// In a dense batch the row is scattered into a zeroed dense row.
    /// </summary>
    // Per-row copy on every step: optimized from the first call (tier-0 code here dominated short fits).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddSparse(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int label, float weight)
    {
        if (indices.Length != values.Length)
        {
            throw new ArgumentException("Indices and values must have the same length.", nameof(values));
        }

        EnsureRoom();
        if (IsSparse)
        {
            int start = _rowStarts[Count];
            EnsureSparseCapacity(start + indices.Length);
            indices.CopyTo(_indices.AsSpan(start));
            values.CopyTo(_values.AsSpan(start));
            _rowStarts[Count + 1] = start + indices.Length;
        }
        else
        {
            var row = _dense.AsSpan(Count * FeatureCount, FeatureCount);
            row.Clear();
            for (int k = 0; k < indices.Length; k++)
            {
                row[indices[k]] = values[k];
            }
        }

        Finish(label, weight);
    }

    private void EnsureRoom()
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"The mini-batch is full ({Capacity} rows).");
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

    private void EnsureSparseCapacity(int needed)
    {
        if (needed <= _indices.Length)
        {
            return;
        }

        int size = Math.Max(needed, _indices.Length * 2);
        Array.Resize(ref _indices, size);
        Array.Resize(ref _values, size);
    }
}
