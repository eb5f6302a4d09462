using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Training;

/// <summary>The packed training set, the streamed mode, the automatic batch size and L2, and cursor hygiene.</summary>
public class PackingAndDefaultsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_PackedAndStreamed_EachBitIdenticalForTheSameSeed_AndClose(bool binary)
    {
        var ml = new MLContext(1);
        var data = binary ? Synthetic.Binary(ml, rows: 1500) : Synthetic.Multiclass(ml, rows: 1500);
        (float[] Weights, TrainingSummary Summary) Train(long? budget)
        {
            var (model, summary) = binary
                ? Fit(new AdamLogisticRegressionBinaryTrainer(ml, new() { MemoryBudget = budget, L2Regularization = 1 }), data)
                : Fit(new AdamMaximumEntropyMulticlassTrainer(ml, new() { MemoryBudget = budget, L2Regularization = 1 }), data);
            return (TrainerCase.Get(binary ? "binary" : "multiclass").Weights(model), summary);
        }

        var packed = Train(null);
        var streamed = Train(0);
        Assert.True(packed.Summary.IsPacked, packed.Summary.Packing);
        Assert.False(streamed.Summary.IsPacked);
        Assert.StartsWith("packing is off", streamed.Summary.Packing);
        Assert.Equal(packed.Weights, Train(null).Weights);
        Assert.Equal(streamed.Weights, Train(0).Weights);
        double last(TrainingSummary s) => s.History[^1].TrainingLoss;
        Assert.InRange(last(streamed.Summary), last(packed.Summary) - 0.02, last(packed.Summary) + 0.02);
    }

    [Fact]
    public void Fit_KnownRowCountOverTheBudget_StreamsWithoutPacking()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Binary(ml, rows: 1000, features: 8);
        var (_, summary) = Fit(new AdamLogisticRegressionBinaryTrainer(ml, new() { MemoryBudget = 1000 * 8 * 4 / 2, L2Regularization = 1, NumberOfEpochs = 2 }), data);
        Assert.False(summary.IsPacked);
        Assert.Contains("over the memory budget", summary.Packing);
    }

    [Fact]
    public void Fit_KnownRowCountOverTheBudget_StartsAfterAPrefix_AndCountsEveryRowOfTheTrainingPass()
    {
        var ml = new MLContext(1);
        var rows = Synthetic.BinaryRows(80_000, 4, 3).ToList();
        rows[70_000].Features[1] = float.NaN; // after the prefix: only the training pass sees it
        var data = Synthetic.BinaryView(ml, rows, 4);
        var options = new AdamLogisticRegressionBinaryTrainer.Options { MemoryBudget = 80_000 * 4 * 4 / 2, L2Regularization = 1, NumberOfEpochs = 2 };
        var (_, summary) = Fit(new AdamLogisticRegressionBinaryTrainer(ml, options), data);
        Assert.False(summary.IsPacked);
        Assert.Contains($"statistics from the first {DataScan.StreamedPrefixRows} usable rows", summary.Packing);
        Assert.Equal(80_000, summary.TrainingRows.Read);
        Assert.Equal(79_999, summary.TrainingRows.Used);
        Assert.Equal(1, summary.TrainingRows.SkippedNonFiniteFeatures);

        // Balanced class weights need exact class totals: a full first pass.
        options.ClassWeighting = ClassWeighting.Balanced;
        var (_, balanced) = Fit(new AdamLogisticRegressionBinaryTrainer(ml, options), data);
        Assert.DoesNotContain("statistics from the first", balanced.Packing);
        Assert.Equal(80_000, balanced.TrainingRows.Read);

        // The prefix's statistics train about as well as a full pass's.
        var (_, packed) = Fit(new AdamLogisticRegressionBinaryTrainer(ml, new() { L2Regularization = 1, NumberOfEpochs = 2 }), data);
        Assert.InRange(summary.History[^1].TrainingLoss, packed.History[^1].TrainingLoss - 0.01, packed.History[^1].TrainingLoss + 0.01);
    }

    [Theory]
    [InlineData(120, 3)]
    [InlineData(282, 2)]
    public void Fit_TinyData_StopsOnConvergence_WellBeforeTheEpochMaximum(int rows, int classes)
    {
        var ml = new MLContext(1);
        TrainingSummary summary;
        if (classes == 2)
        {
            summary = Fit(new AdamLogisticRegressionBinaryTrainer(ml), Synthetic.BinaryView(ml, Synthetic.BinaryRows(rows, 13, 4), 13)).Summary;
        }
        else
        {
            summary = Fit(new AdamMaximumEntropyMulticlassTrainer(ml), Synthetic.MulticlassView(ml, Synthetic.MulticlassRows(rows, 4, classes, 5), 4, classes)).Summary;
        }

        Assert.StartsWith("converged", summary.StopReason);
        Assert.True(summary.Epochs < AdamTrainerDefaults.NumberOfEpochs / 4, $"{summary.Epochs} epochs");
    }

    [Fact]
    public void BatchSizeFor_GivesSeveralStepsPerEpochOnSmallData()
    {
        Assert.Equal(16, AdamTrainerDefaults.BatchSizeFor(120));
        Assert.Equal(18, AdamTrainerDefaults.BatchSizeFor(282));
        Assert.Equal(256, AdamTrainerDefaults.BatchSizeFor(60_000));
        Assert.Equal(5, AdamTrainerDefaults.BatchSizeFor(5));
    }

    [Fact]
    public void Fit_L2NotSet_ChoosesItOnAPath_GivenValueSkipsTheSearch()
    {
        var ml = new MLContext(1);
        var data = Synthetic.Binary(ml, rows: 600, features: 20);
        var auto = Fit(new AdamLogisticRegressionBinaryTrainer(ml), data).Summary;
        Assert.True(auto.L2Path.Count >= 2);
        Assert.Contains(auto.L2Path, p => p.L2Regularization == auto.L2Regularization);
        Assert.Equal(auto.L2Path.Min(p => p.HeldOutLoss), auto.L2Path.Single(p => p.L2Regularization == auto.L2Regularization).HeldOutLoss);
        Assert.True(auto.L2SearchTime > TimeSpan.Zero);

        var given = Fit(new AdamLogisticRegressionBinaryTrainer(ml, new() { L2Regularization = 3 }), data).Summary;
        Assert.Empty(given.L2Path);
        Assert.Equal(3f, given.L2Regularization);

        // Many rows per parameter: the penalty barely matters and no path is searched.
        var large = Fit(new AdamLogisticRegressionBinaryTrainer(ml), Synthetic.Binary(ml, rows: 2000, features: 4)).Summary;
        Assert.Empty(large.L2Path);
        Assert.Equal(AdamTrainerDefaults.L2Regularization, large.L2Regularization);
    }

    [Fact]
    public void Fit_LearningRateNotSet_SparseMiniBatchesTakeTheSparseRate_DenseFullBatchAndGivenKeepTheirs()
    {
        var ml = new MLContext(1);
        var sparse = SparseBinary(ml, rows: 6000);
        var options = () => new AdamLogisticRegressionBinaryTrainer.Options { L2Regularization = 1, NumberOfEpochs = 3 };

        var auto = Fit(new AdamLogisticRegressionBinaryTrainer(ml, options()), sparse).Summary;
        Assert.True(auto.IsSparse);
        Assert.Equal(AdamTrainerDefaults.SparseLearningRate, auto.LearningRate);
        Assert.Equal(AdamTrainerDefaults.SparseLearningRate, auto.History[0].LearningRate);

        var given = options();
        given.LearningRate = 0.02f;
        Assert.Equal(0.02f, Fit(new AdamLogisticRegressionBinaryTrainer(ml, given), sparse).Summary.History[0].LearningRate);

        // Full batches hold every feature in every step, and dense rows every feature in every batch: the dense rate.
        var small = Fit(new AdamLogisticRegressionBinaryTrainer(ml, options()), SparseBinary(ml, rows: 300)).Summary;
        Assert.True(small.IsSparse);
        Assert.Equal(AdamTrainerDefaults.LearningRate, small.LearningRate);
        var dense = Fit(new AdamLogisticRegressionBinaryTrainer(ml, options()), Synthetic.Binary(ml, rows: 6000)).Summary;
        Assert.False(dense.IsSparse);
        Assert.Equal(AdamTrainerDefaults.LearningRate, dense.LearningRate);
    }

    /// <summary>Binary rows of 200 features with 4 % of them stored (stored values 1), labels from a logistic model.</summary>
    private static IDataView SparseBinary(MLContext ml, int rows)
    {
        const int features = 200;
        var random = new Random(7);
        var truth = Enumerable.Range(0, features).Select(_ => (float)Synthetic.Gaussian(random)).ToArray();
        var data = new List<SparseBinaryRow>(rows);
        for (int r = 0; r < rows; r++)
        {
            int[] indices = Enumerable.Range(0, features).Where(_ => random.NextDouble() < 0.04).ToArray();
            double score = indices.Sum(j => truth[j]);
            data.Add(new SparseBinaryRow
            {
                Label = random.NextDouble() < 1 / (1 + Math.Exp(-score)),
                Features = new VBuffer<float>(features, indices.Length, indices.Select(_ => 1f).ToArray(), indices),
            });
        }

        var schema = SchemaDefinition.Create(typeof(SparseBinaryRow));
        schema[nameof(SparseBinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return ml.Data.LoadFromEnumerable(data, schema);
    }

    private sealed class SparseBinaryRow
    {
        public bool Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }

    [Fact]
    public void Fit_ViewThatCannotShuffle_Streamed_DisposesEveryCursor_AndSurfacesTheSourceError()
    {
        var ml = new MLContext(1);
        var inner = Synthetic.Binary(ml, rows: 700);
        var counting = new CountingView(inner, failAtRow: null);
        Fit(new AdamLogisticRegressionBinaryTrainer(ml, new() { MemoryBudget = 0, L2Regularization = 1, NumberOfEpochs = 5 }), counting);
        Assert.True(counting.Opened >= 6);
        Assert.Equal(counting.Opened, counting.Disposed);

        var failing = new CountingView(inner, failAtRow: 650) { FailFromCursor = 2 };
        var error = Assert.Throws<IOException>(() => Fit(new AdamLogisticRegressionBinaryTrainer(ml, new() { MemoryBudget = 0, L2Regularization = 1, NumberOfEpochs = 5 }), failing));
        Assert.Equal(CountingView.FailureMessage, error.Message);
        Assert.Equal(failing.Opened, failing.Disposed);
        int reads = failing.Reads;
        Thread.Sleep(100);
        Assert.Equal(reads, failing.Reads);
    }

    [Fact]
    public void Fit_TokenCancelledBeforehand_ReadsNoRow()
    {
        var ml = new MLContext(1);
        var counting = new CountingView(Synthetic.Binary(ml), failAtRow: null);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new AdamLogisticRegressionBinaryTrainer(ml, new() { CancellationToken = cancelled.Token }).Fit(counting));
        Assert.Equal(0, counting.Reads);
    }

    [Fact]
    public void Fit_HugeThreadCount_Trains()
    {
        var ml = new MLContext(1);
        var (model, summary) = Fit(new AdamLogisticRegressionBinaryTrainer(ml, new() { NumberOfThreads = int.MaxValue, L2Regularization = 1 }), Synthetic.Binary(ml));
        Assert.All(TrainerCase.Binary.Weights(model), w => Assert.True(float.IsFinite(w)));
        Assert.True(summary.Threads >= 1);
    }

    private static (ITransformer Model, TrainingSummary Summary) Fit<T, TModel>(AdamTrainerBase<T, TModel> trainer, IDataView data)
        where T : class, ISingleFeaturePredictionTransformer<TModel>
        where TModel : class
    {
        var result = trainer.FitDetailed(data);
        return (result.Model, result.Summary);
    }

    /// <summary>A view that cannot shuffle, counts cursors opened and disposed and rows read, and can fail at a row.</summary>
    private sealed class CountingView : IDataView
    {
        public const string FailureMessage = "disk gone";
        private readonly IDataView _inner;
        private readonly long? _failAtRow;
        private int _reads;

        public CountingView(IDataView inner, long? failAtRow)
        {
            _inner = inner;
            _failAtRow = failAtRow;
        }

        public int FailFromCursor { get; init; }

        public int Opened { get; private set; }

        public int Disposed { get; private set; }

        public int Reads => Volatile.Read(ref _reads);

        public bool CanShuffle => false;

        public DataViewSchema Schema => _inner.Schema;

        public long? GetRowCount() => null;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            Opened++;
            return new Cursor(this, _inner.GetRowCursor(columnsNeeded), Opened > FailFromCursor ? _failAtRow : null);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];

        private sealed class Cursor : DataViewRowCursor
        {
            private readonly CountingView _owner;
            private readonly DataViewRowCursor _inner;
            private readonly long? _failAt;
            private bool _disposed;

            public Cursor(CountingView owner, DataViewRowCursor inner, long? failAt)
            {
                _owner = owner;
                _inner = inner;
                _failAt = failAt;
            }

            public override DataViewSchema Schema => _inner.Schema;

            public override long Position => _inner.Position;

            public override long Batch => _inner.Batch;

            public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _inner.GetGetter<TValue>(column);

            public override bool MoveNext()
            {
                Interlocked.Increment(ref _owner._reads);
                if (_failAt is { } at && _inner.Position + 1 >= at)
                {
                    throw new IOException(FailureMessage);
                }

                return _inner.MoveNext();
            }

            protected override void Dispose(bool disposing)
            {
                if (!_disposed && disposing)
                {
                    _disposed = true;
                    _owner.Disposed++;
                    _inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
