using MLNet.Adam.Kernels;

namespace MLNet.Adam.Data;

/// <summary>
/// Shuffles a stream of rows that its source cannot shuffle (a text loader's view, a custom <c>IDataView</c>) through
/// a pool: the first <c>poolSize</c> rows fill the pool, then every further row replaces a randomly drawn pool row,
/// which is emitted; at the end the pool drains in random order. It reads one cursor of the source, which its owner
/// disposes, so a source holding resources never sees a cursor left open, and the source's exceptions surface as
/// they are. The order is a function of the seed.
/// </summary>
internal sealed class PoolShuffler
{
    private readonly RowStream _stream;
    private readonly Random _random;
    private readonly Slot[] _pool;
    private int _count;
    private bool _sourceEnded;

    public PoolShuffler(RowStream stream, int poolSize, int seed)
    {
        _stream = stream;
        _random = new Random(seed);
        _pool = new Slot[poolSize];
        for (int i = 0; i < poolSize; i++)
        {
            _pool[i] = new Slot();
        }
    }

    /// <summary>Appends rows to <paramref name="batch"/> until it is full or the data ends; false when nothing was added.</summary>
    public bool Fill(MiniBatch batch)
    {
        int before = batch.Count;
        while (!_sourceEnded && _count < _pool.Length)
        {
            if (!Read(_pool[_count]))
            {
                _sourceEnded = true;
                break;
            }

            _count++;
        }

        while (!batch.IsFull && _count > 0)
        {
            int pick = _random.Next(_count);
            _pool[pick].AddTo(batch);
            if (_sourceEnded || !Read(_pool[pick]))
            {
                _sourceEnded = true;
                _count--;
                (_pool[pick], _pool[_count]) = (_pool[_count], _pool[pick]);
            }
        }

        return batch.Count > before;
    }

    private bool Read(Slot slot)
    {
        if (!_stream.TryRead(out int label, out float weight))
        {
            return false;
        }

        slot.Set(in _stream.CurrentFeatures, label, weight);
        return true;
    }

    private sealed class Slot
    {
        private int[] _indices = [];
        private float[] _values = [];
        private int _length;
        private bool _dense;
        private int _label;
        private float _weight;

        public void Set(in Microsoft.ML.Data.VBuffer<float> row, int label, float weight)
        {
            var values = row.GetValues();
            _dense = row.IsDense;
            _length = values.Length;
            if (_values.Length < _length)
            {
                _values = new float[_length];
                _indices = _dense ? _indices : new int[_length];
            }

            if (!_dense && _indices.Length < _length)
            {
                _indices = new int[_values.Length];
            }

            values.CopyTo(_values);
            if (!_dense)
            {
                row.GetIndices().CopyTo(_indices);
            }

            _label = label;
            _weight = weight;
        }

        public void AddTo(MiniBatch batch)
        {
            if (_dense)
            {
                batch.AddDense(_values.AsSpan(0, _length), _label, _weight);
            }
            else
            {
                batch.AddSparse(_indices.AsSpan(0, _length), _values.AsSpan(0, _length), _label, _weight);
            }
        }
    }
}
