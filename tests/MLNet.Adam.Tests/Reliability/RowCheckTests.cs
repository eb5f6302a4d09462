using Microsoft.ML;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Tests.Reliability;

/// <summary>
/// Values no schema can express but a view can still produce (a key above the key count, a sparse index outside the
/// vector) are errors naming the column, the data row, the value and what was expected, in training and in
/// validation data.
/// </summary>
public class RowCheckTests
{
    [Fact]
    public void Fit_KeyLabelAboveKeyCountInTrainingData_NamesColumnRowAndKey()
    {
        var train = Multiclass(400, badRow: 300, bad: r => r with { Key = 5 });
        var error = Assert.Throws<InvalidOperationException>(() => new AdamMaximumEntropyMulticlassTrainer(new MLContext(1), new() { NumberOfEpochs = 2 }).Fit(train));
        AssertNames(error, "Label column 'Label'", "key value 5", "data row 300", "1..3");
        Assert.Equal(train.Opened, train.Disposed);
    }

    [Fact]
    public void Fit_KeyLabelAboveKeyCountInValidationData_NamesColumnRowAndKey()
    {
        var train = Multiclass(200);
        var validation = Multiclass(400, badRow: 300, bad: r => r with { Key = 5 });
        var error = Assert.Throws<InvalidOperationException>(() => new AdamMaximumEntropyMulticlassTrainer(new MLContext(1), new() { NumberOfEpochs = 2 }).Fit(train, validation));
        AssertNames(error, "Label column 'Label'", "key value 5", "data row 300", "1..3");
    }

    [Fact]
    public void Fit_KeyLabelAboveKeyCountInHeldOutRow_NamesColumnRowAndKey()
    {
        var rows = MulticlassRows(400);
        var train = new InstrumentedDataView(rows.Select((r, i) => i is 300 or 301 or 302 or 303 or 304 or 305 ? r with { Key = 9 } : r).ToList(), 4, 3, hasWeight: false, canShuffle: true);
        var error = Assert.Throws<InvalidOperationException>(() => new AdamMaximumEntropyMulticlassTrainer(new MLContext(1), new() { NumberOfEpochs = 2, ValidationFraction = 0.5f }).Fit(train));
        AssertNames(error, "Label column 'Label'", "key value 9", "data row 30", "1..3");
    }

    [Theory]
    [InlineData("binary", false)]
    [InlineData("binary", true)]
    [InlineData("multiclass", false)]
    [InlineData("multiclass", true)]
    public void Fit_SparseIndexOutsideVector_NamesColumnRowAndIndex(string kind, bool inValidation)
    {
        InstrumentedRow Bad(InstrumentedRow r) => r with { Values = [1f, 2f], Indices = [1, 7] };
        var ml = new MLContext(1);
        Exception error;
        if (kind == "binary")
        {
            var train = Binary(300, inValidation ? null : 120, Bad);
            var validation = Binary(150, inValidation ? 120 : null, Bad);
            error = Assert.Throws<InvalidOperationException>(() => new AdamLogisticRegressionBinaryTrainer(ml, new() { NumberOfEpochs = 2 }).Fit(train, validation));
        }
        else
        {
            var train = Multiclass(300, inValidation ? null : 120, Bad);
            var validation = Multiclass(150, inValidation ? 120 : null, Bad);
            error = Assert.Throws<InvalidOperationException>(() => new AdamMaximumEntropyMulticlassTrainer(ml, new() { NumberOfEpochs = 2 }).Fit(train, validation));
        }

        AssertNames(error, "Feature column 'Features'", "sparse index 7", "data row 120", "0..3");
    }

    [Fact]
    public void Fit_SparseIndicesOutOfOrder_NamesColumnRowAndIndex()
    {
        var train = Binary(200, 50, r => r with { Values = [1f, 2f, 3f], Indices = [0, 2, 1] });
        var error = Assert.Throws<InvalidOperationException>(() => new AdamLogisticRegressionBinaryTrainer(new MLContext(1), new() { NumberOfEpochs = 1 }).Fit(train));
        AssertNames(error, "Feature column 'Features'", "sparse index 1", "data row 50", "strictly increasing");
    }

    [Fact]
    public void Fit_NegativeSparseIndex_NamesColumnRowAndIndex()
    {
        var train = Binary(200, 7, r => r with { Values = [1f], Indices = [-3] });
        var error = Assert.Throws<InvalidOperationException>(() => new AdamLogisticRegressionBinaryTrainer(new MLContext(1), new() { NumberOfEpochs = 1 }).Fit(train));
        AssertNames(error, "Feature column 'Features'", "sparse index -3", "data row 7", "0..3");
    }

    [Fact]
    public void Fit_VectorOfWrongLength_NamesColumnRowAndLength()
    {
        var train = Multiclass(200, 11, r => r with { Values = [1f, 2f, 3f, 4f, 5f, 6f], Length = 6 });
        var error = Assert.Throws<InvalidOperationException>(() => new AdamMaximumEntropyMulticlassTrainer(new MLContext(1), new() { NumberOfEpochs = 1 }).Fit(train));
        AssertNames(error, "Feature column 'Features'", "length 6", "data row 11", "expected length 4");
    }

    [Fact]
    public void Fit_ValidSparseRows_Train()
    {
        var rows = MulticlassRows(300).Select((r, i) => i % 2 == 0 ? r with { Values = [r.Values[0], r.Values[3]], Indices = [0, 3] } : r).ToList();
        var model = new AdamMaximumEntropyMulticlassTrainer(new MLContext(1), new() { NumberOfEpochs = 2 }).Fit(new InstrumentedDataView(rows, 4, 3, false, true));
        Assert.NotNull(model);
    }

    private static void AssertNames(Exception error, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }

    private static List<InstrumentedRow> MulticlassRows(int count)
    {
        var random = new Random(count);
        return Enumerable.Range(0, count).Select(i =>
        {
            uint key = (uint)(i % 3) + 1;
            return new InstrumentedRow(key, false, 1f, Enumerable.Range(0, 4).Select(j => (float)((j == key ? 2 : 0) + random.NextDouble())).ToArray());
        }).ToList();
    }

    private static InstrumentedDataView Multiclass(int count, int? badRow = null, Func<InstrumentedRow, InstrumentedRow>? bad = null) =>
        new(MulticlassRows(count).Select((r, i) => i == badRow ? bad!(r) : r).ToList(), 4, 3, hasWeight: false, canShuffle: true);

    private static InstrumentedDataView Binary(int count, int? badRow = null, Func<InstrumentedRow, InstrumentedRow>? bad = null)
    {
        var random = new Random(count);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            bool flag = i % 2 == 0;
            return new InstrumentedRow(0, flag, 1f, Enumerable.Range(0, 4).Select(j => (float)((flag && j == 1 ? 1.5 : 0) + random.NextDouble())).ToArray());
        });
        return new(rows.Select((r, i) => i == badRow ? bad!(r) : r).ToList(), 4, keyCount: null, hasWeight: false, canShuffle: true);
    }
}
