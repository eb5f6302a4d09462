using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Mini-batches from <see cref="PackedRows"/>: each epoch shuffles an index permutation (seeded by the seed and the
/// epoch, so a resumed run sees the same order) and copies the rows of each batch into one reused
/// <see cref="MiniBatch"/>.
/// </summary>
internal sealed class PackedBatchSource : IBatchSource
{
    private readonly PackedRows _rows;
    private readonly MiniBatch _batch;
    private readonly int[] _order;
    private readonly bool _shuffle;
    private readonly int _seed;
    private int _next;

    /// <summary>Creates the source; <paramref name="rows"/> selects a subset of the packed rows (null: all of them).</summary>
    public PackedBatchSource(PackedRows rows, int batchSize, bool sparseBatches, bool shuffle, int seed, int[]? rowsToUse = null)
    {
        _rows = rows;
        _order = rowsToUse is null ? new int[rows.Count] : (int[])rowsToUse.Clone();
        if (rowsToUse is null)
        {
            for (int i = 0; i < _order.Length; i++)
            {
                _order[i] = i;
            }
        }

        Identity = (int[])_order.Clone();
        _batch = new MiniBatch(rows.FeatureCount, Math.Max(1, Math.Min(batchSize, Math.Max(1, _order.Length))), sparseBatches);
        _shuffle = shuffle;
        _seed = seed;
        _next = _order.Length;
    }

    /// <summary>Rows per pass.</summary>
    public int RowCount => _order.Length;

    private int[] Identity { get; }

    /// <inheritdoc/>
    public void BeginEpoch(int epoch)
    {
        Identity.CopyTo(_order, 0);
        if (_shuffle)
        {
            var random = new Random(EpochSeeds.For(_seed, epoch));
            for (int i = _order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
        }

        _next = 0;
    }

    /// <inheritdoc/>
    public MiniBatch? Next()
    {
        if (_next >= _order.Length)
        {
            return null;
        }

        int count = Math.Min(_batch.Capacity, _order.Length - _next);
        _batch.Clear();
        _rows.CopyTo(_order.AsSpan(_next, count), _batch);
        _next += count;
        return _batch;
    }

    /// <inheritdoc/>
    public void EndEpoch() => _next = _order.Length;

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
