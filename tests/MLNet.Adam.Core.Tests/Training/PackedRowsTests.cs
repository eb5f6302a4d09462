using MLNet.Adam.Kernels;
using MLNet.Adam.Training;

namespace MLNet.Adam.Core.Tests.Training;

public class PackedRowsTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void CopyTo_AnyStorageIntoAnyBatch_GivesTheRowsAsAdded(bool packSparse, bool batchSparse)
    {
        var rows = new PackedRows(4, packSparse);
        rows.AddDense([1, 0, 2, 0], 1, 0.5f);
        rows.AddSparse([3], [7], 0, 2f);
        rows.AddDense([0, 0, 0, 0], 1, 1f);
        rows.TrimExcess();
        var batch = new MiniBatch(4, 3, batchSparse);
        rows.CopyTo([2, 0, 1], batch);

        Assert.Equal([1, 1, 0], batch.Labels.ToArray());
        Assert.Equal([1f, 0.5f, 2f], batch.Weights.ToArray());
        Assert.Equal(new float[] { 0, 0, 0, 0 }, Dense(batch, 0));
        Assert.Equal(new float[] { 1, 0, 2, 0 }, Dense(batch, 1));
        Assert.Equal(new float[] { 0, 0, 0, 7 }, Dense(batch, 2));
    }

    [Fact]
    public void Bytes_CountsWhatIsStored()
    {
        var dense = new PackedRows(10, isSparse: false);
        var sparse = new PackedRows(10, isSparse: true);
        for (int i = 0; i < 5; i++)
        {
            dense.AddSparse([1, 4], [1, 2], 0, 1);
            sparse.AddSparse([1, 4], [1, 2], 0, 1);
        }

        Assert.Equal(5 * ((10 * 4) + 8), dense.Bytes);
        Assert.Equal((10 * 8) + (5 * 16), sparse.Bytes);
        Assert.Equal(dense.BytesPerRow(2) * 5, dense.Bytes);
    }

    [Fact]
    public void ApplyClassWeights_MultipliesEachRowByItsClassWeight()
    {
        var rows = new PackedRows(1, isSparse: false);
        rows.AddDense([1], 0, 2f);
        rows.AddDense([1], 1, 3f);
        rows.ApplyClassWeights([0.5f, 4f]);
        Assert.Equal([1f, 12f], rows.Weights.ToArray());
    }

    [Fact]
    public void Growth_BeyondTheHint_KeepsEveryRow()
    {
        var rows = new PackedRows(3, isSparse: true, expectedRows: 2);
        for (int i = 0; i < 1000; i++)
        {
            rows.AddSparse([i % 3], [i], i % 2, 1);
        }

        var batch = new MiniBatch(3, 1, isSparse: false);
        rows.CopyTo([999], batch);
        Assert.Equal(999f, Dense(batch, 0)[0]);
        Assert.Equal(1000, rows.Count);
    }

    [Fact]
    public void PackedBatchSource_EveryEpochIsAPermutation_SeededByEpoch()
    {
        var rows = new PackedRows(1, isSparse: false);
        for (int i = 0; i < 50; i++)
        {
            rows.AddDense([i], 0, 1);
        }

        int[] Epoch(PackedBatchSource source, int epoch)
        {
            var seen = new List<int>();
            source.BeginEpoch(epoch);
            while (source.Next() is { } batch)
            {
                for (int r = 0; r < batch.Count; r++)
                {
                    seen.Add((int)batch.DenseRow(r)[0]);
                }
            }

            return seen.ToArray();
        }

        using var a = new PackedBatchSource(rows, 16, false, shuffle: true, seed: 3);
        using var b = new PackedBatchSource(rows, 16, false, shuffle: true, seed: 3);
        var first = Epoch(a, 1);
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), first);
        Assert.Equal(first, Epoch(b, 1));
        Assert.NotEqual(first, Epoch(a, 2));
        Assert.Equal(Epoch(a, 7), Epoch(b, 7));

        using var subset = new PackedBatchSource(rows, 4, false, shuffle: false, seed: 0, rowsToUse: [5, 9, 11]);
        Assert.Equal([5, 9, 11], Epoch(subset, 1));
    }

    private static float[] Dense(MiniBatch batch, int row)
    {
        if (!batch.IsSparse)
        {
            return batch.DenseRow(row).ToArray();
        }

        var values = new float[batch.FeatureCount];
        for (int k = batch.RowStarts[row]; k < batch.RowStarts[row + 1]; k++)
        {
            values[batch.Indices[k]] = batch.Values[k];
        }

        return values;
    }
}
