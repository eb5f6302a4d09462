using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Adam.ModelFiles;

/// <summary>
/// A data view with a given schema and no rows. ML.NET stores a model's training schema as a binary IDV file
/// with zero rows, and its public API offers no way to get such a view from a bare <see cref="DataViewSchema"/>.
/// </summary>
internal sealed class ZeroRowDataView : IDataView
{
    /// <summary>Creates a view with <paramref name="schema"/>, annotations and hidden columns included.</summary>
    public ZeroRowDataView(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
    }

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public bool CanShuffle => true;

    /// <inheritdoc/>
    public long? GetRowCount() => 0;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new EmptyCursor(Schema, columnsNeeded);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new DataViewRowCursor[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class EmptyCursor : DataViewRowCursor
    {
        private readonly bool[] _active;

        public EmptyCursor(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            Schema = schema;
            _active = new bool[schema.Count];
            foreach (var column in columnsNeeded)
                _active[column.Index] = true;
        }

        public override DataViewSchema Schema { get; }

        public override long Position => -1;

        public override long Batch => 0;

        public override bool MoveNext() => false;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
            return (ref TValue value) => throw new InvalidOperationException("A zero-row data view has no values to get.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId value) => throw new InvalidOperationException("A zero-row data view has no rows.");
    }
}
