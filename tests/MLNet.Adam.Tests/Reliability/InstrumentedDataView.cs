using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.Tests.Reliability;

/// <summary>One row of an <see cref="InstrumentedDataView"/>: raw label, weight and features exactly as stored.</summary>
/// <param name="Key">The raw key label (0 = missing) for a key label column; ignored for a Boolean label.</param>
/// <param name="Flag">The Boolean label; ignored for a key label column.</param>
/// <param name="Weight">The example weight.</param>
/// <param name="Values">Dense values (when <paramref name="Indices"/> is null) or the stored sparse values.</param>
/// <param name="Indices">Sparse indices (taken as given, even out of range or unsorted), or null for a dense row.</param>
/// <param name="Length">The vector length the getter reports; the column's size when null.</param>
public sealed record InstrumentedRow(uint Key, bool Flag, float Weight, float[] Values, int[]? Indices = null, int? Length = null);

/// <summary>Where a cursor of an <see cref="InstrumentedDataView"/> fails.</summary>
/// <param name="Cursor">The 0-based number of the cursor (in opening order) that fails; null for every cursor.</param>
/// <param name="Row">The row at which <c>MoveNext</c> throws, counted from 0 within that cursor.</param>
public sealed record CursorFault(int? Cursor, long Row);

/// <summary>
/// An in-memory <see cref="IDataView"/> whose rows are given raw (any key value, any sparse index, any float), whose
/// cursors can throw <see cref="IOException"/> at a chosen row, and which counts what was done to it: cursors opened
/// and disposed, and any read (a <c>MoveNext</c> or getter call) after <see cref="Seal"/>, that is after the code
/// under test returned. It is the kind of view that holds resources (a database reader, a file) and so needs every
/// cursor disposed.
/// </summary>
public sealed class InstrumentedDataView : IDataView
{
    public const string InjectedMessage = "Injected read failure";

    private readonly IReadOnlyList<InstrumentedRow> _rows;
    private readonly int _featureCount;
    private readonly CursorFault? _fault;
    private int _opened;
    private int _disposed;
    private int _readsAfterSeal;
    private long _rowsRead;
    private volatile bool _sealed;

    public InstrumentedDataView(IReadOnlyList<InstrumentedRow> rows, int featureCount, int? keyCount, bool hasWeight, bool canShuffle, CursorFault? fault = null)
    {
        _rows = rows;
        _featureCount = featureCount;
        _fault = fault;
        CanShuffle = canShuffle;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, featureCount));
        builder.AddColumn("Label", keyCount is { } k ? new KeyDataViewType(typeof(uint), k) : BooleanDataViewType.Instance);
        if (hasWeight)
        {
            builder.AddColumn("Weight", NumberDataViewType.Single);
        }

        Schema = builder.ToSchema();
    }

    public bool CanShuffle { get; }

    public DataViewSchema Schema { get; }

    public int RowCount => _rows.Count;

    /// <summary>Cursors opened so far.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Cursors disposed so far (each counted once).</summary>
    public int Disposed => Volatile.Read(ref _disposed);

    /// <summary>Rows produced by all cursors so far (successful <c>MoveNext</c> calls).</summary>
    public long RowsRead => Interlocked.Read(ref _rowsRead);

    /// <summary>Reads after <see cref="Seal"/>.</summary>
    public int ReadsAfterSeal => Volatile.Read(ref _readsAfterSeal);

    /// <summary>Whether an injected fault was thrown.</summary>
    public bool FaultThrown { get; private set; }

    /// <summary>Marks the end of the code under test: any read from now on is counted.</summary>
    public void Seal() => _sealed = true;

    public long? GetRowCount() => _rows.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int number = Interlocked.Increment(ref _opened) - 1;
        var order = Enumerable.Range(0, _rows.Count).ToArray();
        if (rand is not null && CanShuffle)
        {
            rand.Shuffle(order);
        }

        long? failAt = _fault is { } f && (f.Cursor is null || f.Cursor == number) ? f.Row : null;
        return new Cursor(this, order, columnsNeeded.Select(c => c.Index).ToHashSet(), failAt);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly InstrumentedDataView _view;
        private readonly int[] _order;
        private readonly HashSet<int> _active;
        private readonly long? _failAt;
        private long _position = -1;
        private bool _done;
        private int _disposedOnce;

        public Cursor(InstrumentedDataView view, int[] order, HashSet<int> active, long? failAt)
        {
            _view = view;
            _order = order;
            _active = active;
            _failAt = failAt;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        private InstrumentedRow Current => _view._rows[_order[_position]];

        public override bool MoveNext()
        {
            Touch();
            if (_done)
            {
                return false;
            }

            if (_failAt == _position + 1)
            {
                _view.FaultThrown = true;
                throw new IOException($"{InjectedMessage} at row {_position + 1}.");
            }

            if (_position + 1 >= _order.Length)
            {
                _done = true;
                return false;
            }

            _position++;
            Interlocked.Increment(ref _view._rowsRead);
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) =>
        {
            Touch();
            id = new DataViewRowId((ulong)_order[_position], 0);
        };

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active.");
            }

            Delegate getter = column.Name switch
            {
                "Features" => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    Touch();
                    var row = Current;
                    int length = row.Length ?? _view._featureCount;
                    value = row.Indices is null
                        ? new VBuffer<float>(length, (float[])row.Values.Clone())
                        : new VBuffer<float>(length, row.Values.Length, (float[])row.Values.Clone(), (int[])row.Indices.Clone());
                }),
                "Label" when column.Type is KeyDataViewType => (ValueGetter<uint>)((ref uint value) => { Touch(); value = Current.Key; }),
                "Label" => (ValueGetter<bool>)((ref bool value) => { Touch(); value = Current.Flag; }),
                "Weight" => (ValueGetter<float>)((ref float value) => { Touch(); value = Current.Weight; }),
                _ => throw new InvalidOperationException($"Unknown column '{column.Name}'."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is not of type {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _disposedOnce, 1) == 0)
            {
                Interlocked.Increment(ref _view._disposed);
            }

            base.Dispose(disposing);
        }

        private void Touch()
        {
            if (_view._sealed)
            {
                Interlocked.Increment(ref _view._readsAfterSeal);
            }
        }
    }
}
