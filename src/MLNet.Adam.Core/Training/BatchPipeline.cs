using MLNet.Adam.Kernels;

namespace MLNet.Adam.Training;

/// <summary>
/// Hands out the mini-batches of one epoch in order. With read-ahead on, the next batch is read from the cursor on a
/// pool thread while the caller computes on the current one, so reading (often the larger cost, inside ML.NET's
/// cursors) overlaps the gradient and the update. The sequence of batches is the same either way.
/// </summary>
internal sealed class BatchPipeline : IDisposable
{
    private readonly Func<MiniBatch, bool> _fill;
    private readonly bool _readAhead;
    private MiniBatch _current;
    private MiniBatch _spare;
    private Task<bool>? _pending;
    private bool _started;

    public BatchPipeline(Func<MiniBatch, bool> fill, MiniBatch first, MiniBatch second, bool readAhead)
    {
        _fill = fill;
        _current = first;
        _spare = second;
        _readAhead = readAhead;
    }

    /// <summary>The next batch, or null at the end of the epoch. A returned batch stays valid until the next call.</summary>
    public MiniBatch? Next()
    {
        bool filled;
        if (_pending is not null)
        {
            filled = _pending.GetAwaiter().GetResult();
            _pending = null;
            (_current, _spare) = (_spare, _current);
        }
        else if (!_started || !_readAhead)
        {
            _current.Clear();
            filled = _fill(_current);
        }
        else
        {
            filled = false;
        }

        _started = true;
        if (!filled)
        {
            return null;
        }

        if (_readAhead)
        {
            var spare = _spare;
            spare.Clear();
            _pending = Task.Run(() => _fill(spare));
        }

        return _current;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The cursor must not be disposed under a read in flight (after a cancellation or an error).
        if (_pending is not null)
        {
            try
            {
                _pending.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // The epoch already ends with the caller's exception; the reader's own error adds nothing.
            }
        }
    }
}
