using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Data;
using MLNet.Adam.Compare.Evaluation;
using MLNet.Adam.Compare.Output;

namespace MLNet.Adam.Compare.Tests;

/// <summary>The large-data path on tiny files: --save-data writes a binary .idv lazily, --no-cache streams it back.</summary>
public sealed class StreamedDataTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Rows_EnumeratedTwice_SameRowsAsGenerate()
    {
        var lazy = SyntheticData.Rows(50, 4, 2, seed: 7);

        var first = lazy.ToList();
        var second = lazy.ToList();
        var generated = SyntheticData.Generate(50, 4, 2, seed: 7);

        Assert.Equal(generated.Select(r => r.Label), first.Select(r => r.Label));
        Assert.Equal(generated.SelectMany(r => r.Features), first.SelectMany(r => r.Features));
        Assert.Equal(first.SelectMany(r => r.Features), second.SelectMany(r => r.Features));
    }

    [Fact]
    public void Run_SaveData1000Rows_WritesTheGeneratedRowsAndNoReport()
    {
        var path = Path.Combine(_files.Root, "saved.idv");
        var options = _files.Options("--dataset", "synthetic-binary", "--rows", "1000", "--features", "8", "--seed", "3", "--save-data", path);

        var (code, output, errors) = TestFiles.Run(options);

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("1000 rows x 8 features", output, StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".partial"));
        Assert.False(Directory.Exists(Path.Combine(_files.Root, "out")));
        var view = new MLContext(1).Data.LoadFromBinary(path);
        Assert.Equal(1000, view.GetRowCount());
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 8), view.Schema["Features"].Type);
        var expected = SyntheticData.Generate(1000, 8, 2, seed: 3);
        var labels = view.GetColumn<ReadOnlyMemory<char>>("Label").Select(l => l.ToString()).ToList();
        var features = view.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToList();
        Assert.Equal(expected.Select(r => r.Label), labels);
        Assert.Equal(expected[999].Features, features[999]);
    }

    [Fact]
    public void Run_SaveDataFashionMnist_UserError()
    {
        var options = _files.Options("--dataset", "fashion-mnist", "--save-data", Path.Combine(_files.Root, "f.idv"));

        var (code, _, errors) = TestFiles.Run(options);

        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("--save-data writes the synthetic datasets only", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SavedIdvWithNoCache_EvaluatesEveryBinaryTrainer()
    {
        var path = Path.Combine(_files.Root, "big.idv");
        var save = _files.Options("--dataset", "synthetic-binary", "--rows", "1000", "--features", "6", "--save-data", path);
        Assert.Equal(ExitCodes.Success, TestFiles.Run(save).ExitCode);
        var options = _files.Options("--data", path, "--no-cache", "--holdout", "0.2", "--trainers", "adam,sdca,lbfgs,sgd");

        var (code, output, errors) = TestFiles.Run(options);

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("streamed from the source on every pass (--no-cache)", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_files.Root, "out", ReportWriter.JsonFile)));
        var leaderboard = json.RootElement.GetProperty("leaderboard");
        Assert.Equal(4, leaderboard.GetArrayLength());
        foreach (var result in leaderboard.EnumerateArray())
        {
            Assert.False(result.TryGetProperty("error", out _), result.ToString());
            var fold = result.GetProperty("folds")[0];
            Assert.InRange(fold.GetProperty("accuracy").GetDouble(), 0.6, 1.0);
            Assert.InRange(fold.GetProperty("auc").GetDouble(), 0.6, 1.0);
        }
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 2)]
    public void Create_CacheOrNoCache_TrainPassesReadTheSourceOnlyWithoutCache(bool cache, int expectedSourceCursors)
    {
        var context = new MLContext(1);
        var options = _files.Options("--rows", "200", "--features", "3") with { NoCache = !cache };
        var loaded = SyntheticData.Load(context, options);
        var source = new CursorCountingView(loaded.Data);
        var split = PreparedSplit.Create(context, loaded with { Data = source }, options)[0];
        int before = source.CursorsOpened;

        for (int pass = 0; pass < 2; pass++)
        {
            using var cursor = split.Train.GetRowCursor(split.Train.Schema);
            while (cursor.MoveNext())
            {
            }
        }

        Assert.Equal(expectedSourceCursors, source.CursorsOpened - before);
    }

    /// <summary>Passes everything through to <c>inner</c>, counting the cursors opened on it.</summary>
    private sealed class CursorCountingView(IDataView inner) : IDataView
    {
        private int _cursors;

        public int CursorsOpened => _cursors;

        public bool CanShuffle => inner.CanShuffle;

        public DataViewSchema Schema => inner.Schema;

        public long? GetRowCount() => inner.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            Interlocked.Increment(ref _cursors);
            return inner.GetRowCursor(columnsNeeded, rand);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        {
            Interlocked.Increment(ref _cursors);
            return inner.GetRowCursorSet(columnsNeeded, n, rand);
        }
    }
}
