using Microsoft.ML;
using MLNet.Adam.Tests.Reliability.Fuzz;
using MLNet.Adam.Trainers;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Reliability;

/// <summary>
/// The same invariants as <see cref="FitInvariantFuzzTests"/> where they depend on the training engine: views that
/// cannot shuffle themselves (every cursor disposed, also on cancellation and error; the source's IOException
/// surfacing as it is), huge <c>NumberOfThreads</c>, and tokens cancelled before Fit (no row read): issue 15, items 2,
/// 6 and 10. They are kept apart so that a failure here points at the training engine.
/// </summary>
public class EngineInvariantFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Fit_RandomJobsIncludingNonShufflingViewsHugeThreadCountsAndEarlyCancellation_KeepEveryInvariant()
    {
        string report = FuzzSettings.Report(FuzzSettings.Seeds(100_001, 80), FuzzScope.Engine, out int cases, out int failing, out string outcomes);
        output.WriteLine($"{cases} cases, {failing} failing.");
        output.WriteLine(outcomes);
        output.WriteLine(report);
        Assert.True(failing == 0, $"{failing} of {cases} cases broke an invariant:\n{report}");
    }

    // MemoryBudget = 0 makes the trainer stream every epoch from the view instead of packing the rows after the
    // first pass, so that these tests open a cursor per epoch.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_ViewThatCannotShuffle_DisposesEveryCursorItOpens(bool multiclass)
    {
        var view = View(400, multiclass, canShuffle: false);
        Train(multiclass, new() { NumberOfEpochs = 10, ConvergenceTolerance = 0, MemoryBudget = 0 }, view);
        Assert.True(view.Opened > 10);
        Assert.Equal(view.Opened, view.Disposed);
    }

    [Fact]
    public void Fit_ViewThatCannotShuffleFails_SurfacesItsOwnIOExceptionAndDisposesCursors()
    {
        var view = View(400, false, canShuffle: false, new CursorFault(Cursor: 2, Row: 150));
        var error = Assert.ThrowsAny<Exception>(() => Train(false, new() { NumberOfEpochs = 5, MemoryBudget = 0 }, view));
        Assert.IsType<IOException>(error);
        Assert.StartsWith(InstrumentedDataView.InjectedMessage, error.Message);
        view.Seal();
        Thread.Sleep(30);
        Assert.Equal(view.Opened, view.Disposed);
        Assert.Equal(0, view.ReadsAfterSeal);
    }

    [Fact]
    public void Fit_ViewThatCannotShuffleCancelledMidway_DisposesCursorsAndStopsReading()
    {
        var view = View(2000, true, canShuffle: false);
        using var cancellation = new CancellationTokenSource();
        var progress = new Reporter(p => { if (p.Epoch == 3) { cancellation.Cancel(); } });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Train(true, new() { NumberOfEpochs = 10, BatchSize = 32, CancellationToken = cancellation.Token, Progress = progress, ProgressInterval = TimeSpan.Zero, MemoryBudget = 0 }, view));
        view.Seal();
        Thread.Sleep(30);
        Assert.Equal(view.Opened, view.Disposed);
        Assert.Equal(0, view.ReadsAfterSeal);
    }

    [Fact]
    public void Fit_TokenCancelledBeforeFit_ReadsNoRow()
    {
        var view = View(3000, false, canShuffle: true);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Train(false, new() { CancellationToken = cancellation.Token }, view));
        Assert.Equal(0, view.RowsRead);
        Assert.Equal(view.Opened, view.Disposed);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1 << 20)]
    public void Fit_HugeNumberOfThreads_TrainsWithoutRunningOutOfMemory(int threads)
    {
        var view = View(300, true, canShuffle: true);
        var error = Record.Exception(() => Train(true, new() { NumberOfEpochs = 2, NumberOfThreads = threads }, view));
        Assert.True(error is null || error is ArgumentOutOfRangeException { ParamName: "NumberOfThreads" }, error?.ToString());
    }

    [Fact]
    public void Fit_ManyThreadsOnLargeSparseModel_AllocatesAboutAsMuchAsTwoThreads()
    {
        // 2^16 features x 4 classes: one gradient buffer is 1 MiB. Buffers for threads that get no shard are waste.
        const int features = 1 << 16;
        var random = new Random(5);
        var rows = Enumerable.Range(0, 64).Select(i => new InstrumentedRow(
            (uint)(i % 4) + 1, false, 1f, [1f, (float)random.NextDouble()], [random.Next(features / 2), (features / 2) + random.Next(features / 2)])).ToList();
        long Allocated(int threads)
        {
            var view = new InstrumentedDataView(rows, features, 4, false, true);
            // This thread's allocations only: other tests run in parallel in the process. Shard buffers are created on
            // the calling thread, so a buffer per requested thread would still show here.
            long before = GC.GetAllocatedBytesForCurrentThread();
            Train(true, new() { NumberOfEpochs = 1, NumberOfThreads = threads, BatchSize = 64, L2Regularization = 1 }, view);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(2);
        long two = Allocated(2);
        long many = Allocated(64);
        output.WriteLine($"allocated: 2 threads {two >> 20} MiB, 64 threads {many >> 20} MiB");
        Assert.True(many < two * 1.5, $"64 threads allocated {many >> 20} MiB, 2 threads {two >> 20} MiB");
    }

    private static InstrumentedDataView View(int rows, bool multiclass, bool canShuffle, CursorFault? fault = null)
    {
        var random = new Random(rows);
        var list = Enumerable.Range(0, rows).Select(i =>
        {
            uint key = (uint)(i % 3) + 1;
            bool flag = i % 2 == 0;
            return new InstrumentedRow(key, flag, 1f, Enumerable.Range(0, 5).Select(j => (float)(random.NextDouble() + ((multiclass ? j == key : flag && j == 0) ? 1 : 0))).ToArray());
        }).ToList();
        return new InstrumentedDataView(list, 5, multiclass ? 3 : null, hasWeight: false, canShuffle, fault);
    }

    private static void Train(bool multiclass, AdamMaximumEntropyMulticlassTrainer.Options options, InstrumentedDataView view)
    {
        var ml = new MLContext(1);
        if (multiclass)
        {
            new AdamMaximumEntropyMulticlassTrainer(ml, options).Fit(view);
            return;
        }

        var binary = new AdamLogisticRegressionBinaryTrainer.Options();
        foreach (var field in typeof(MLNet.Adam.Trainers.AdamTrainerOptionsBase).GetFields())
        {
            field.SetValue(binary, field.GetValue(options));
        }

        new AdamLogisticRegressionBinaryTrainer(ml, binary).Fit(view);
    }

    private sealed class Reporter(Action<MLNet.Adam.Training.TrainingProgress> report) : IProgress<MLNet.Adam.Training.TrainingProgress>
    {
        public void Report(MLNet.Adam.Training.TrainingProgress value) => report(value);
    }
}
