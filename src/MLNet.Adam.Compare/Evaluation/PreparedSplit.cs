using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Data;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Evaluation;

/// <summary>
/// One train/test split, featurized with a featurizer fitted on its training part only (no test statistics leak into
/// normalization), reduced to Label + Features and cached in memory before any trainer is timed. With --no-cache the
/// featurized views stay lazy: every pass of a trainer reads the source (an .idv file from disk), applies the hold-out
/// filter and the fitted featurizer row by row, and nothing but the featurizer's statistics is kept in memory.
/// </summary>
internal sealed class PreparedSplit
{
    private PreparedSplit(int index, IDataView rawTrain, ITransformer featurizer, IDataView train, IDataView test)
    {
        Index = index;
        RawTrain = rawTrain;
        Featurizer = featurizer;
        Train = train;
        Test = test;
    }

    public int Index { get; }

    /// <summary>The training rows before featurization (label mapped), whose schema a saved model expects.</summary>
    public IDataView RawTrain { get; }

    public ITransformer Featurizer { get; }

    public IDataView Train { get; }

    public IDataView Test { get; }

    /// <summary>The splits the evaluation mode asks for, label mapped, featurized and cached.</summary>
    public static IReadOnlyList<PreparedSplit> Create(MLContext context, LoadedData data, CompareOptions options)
    {
        var labeler = data.Label.BuildEstimator(context).Fit(data.Data);
        var labelled = labeler.Transform(data.Data);
        var pairs = options.Evaluation switch
        {
            EvaluationMode.CrossValidation => context.Data.CrossValidationSplit(labelled, options.Folds, seed: options.Seed)
                .Select(s => (s.TrainSet, s.TestSet)).ToList(),
            EvaluationMode.Holdout => [Holdout(context, labelled, options.HoldoutFraction, options.Seed)],
            _ => [(labelled, labeler.Transform(data.Test ?? throw new InvalidOperationException("No test data was loaded.")))],
        };
        return [.. pairs.Select((p, i) => Prepare(context, data, i, p.Item1, p.Item2, !options.NoCache))];
    }

    /// <summary>All rows as training data (for refitting the winner of a cross-validation); Test is the same rows.</summary>
    public static PreparedSplit CreateAllRows(MLContext context, LoadedData data, bool cache)
    {
        var labelled = data.Label.BuildEstimator(context).Fit(data.Data).Transform(data.Data);
        return Prepare(context, data, 0, labelled, labelled, cache);
    }

    /// <summary>Splits off a validation part of this split's training rows (for the sweep), featurized the same way.</summary>
    public PreparedSplit SplitForValidation(MLContext context, LoadedData data, int seed, bool cache)
    {
        var (train, validation) = Holdout(context, RawTrain, 0.2, seed);
        return Prepare(context, data, Index, train, validation, cache);
    }

    private static (IDataView Train, IDataView Test) Holdout(MLContext context, IDataView data, double fraction, int seed)
    {
        var split = context.Data.TrainTestSplit(data, fraction, seed: seed);
        return (split.TrainSet, split.TestSet);
    }

    private static PreparedSplit Prepare(MLContext context, LoadedData data, int index, IDataView rawTrain, IDataView rawTest, bool cache)
    {
        var featurizer = data.Features.BuildEstimator(context).Fit(rawTrain);
        var select = context.Transforms.SelectColumns(LabelPlan.LabelColumn, FeaturizationPlan.FeatureColumn);
        var (train, trainHasRows) = Materialize(context, select.Fit(featurizer.Transform(rawTrain)).Transform(featurizer.Transform(rawTrain)), cache);
        var (test, testHasRows) = Materialize(context, select.Fit(featurizer.Transform(rawTest)).Transform(featurizer.Transform(rawTest)), cache);
        if (!trainHasRows || !testHasRows)
        {
            throw new UserInputException("A training or test split is empty: the data has too few rows for this evaluation.");
        }

        return new PreparedSplit(index, rawTrain, featurizer, train, test);
    }

    /// <summary>Caches <paramref name="view"/> (filling the cache now, outside any timed fit) or leaves it lazy; reports whether it has rows.</summary>
    private static (IDataView View, bool HasRows) Materialize(MLContext context, IDataView view, bool cache)
    {
        if (!cache)
        {
            // One row is enough to know the split is not empty; counting would cost a pass over the whole file.
            using var probe = view.GetRowCursor(view.Schema);
            return (view, probe.MoveNext());
        }

        var cached = context.Data.Cache(view);
        long rows = 0;
        using var cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext())
        {
            rows++;
        }

        return (cached, rows > 0);
    }
}
