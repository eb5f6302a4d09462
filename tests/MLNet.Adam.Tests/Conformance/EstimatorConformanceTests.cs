using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Tests.Support;

namespace MLNet.Adam.Tests.Conformance;

/// <summary>
/// What ML.NET's own estimator conformance check (TestEstimatorCore) verifies, through public APIs only,
/// for both trainers.
/// </summary>
public class EstimatorConformanceTests
{
    [Theory]
    [MemberData(nameof(TrainerCase.Names), MemberType = typeof(TrainerCase))]
    public void Schemas_EstimatorTransformerAndTransformedData_Agree(string name)
    {
        var c = TrainerCase.Get(name);
        var ml = new MLContext(1);
        var data = c.Data(ml);
        var estimator = c.Create(ml, null);
        var shape = estimator.GetOutputSchema(SchemaShapes.Of(data.Schema));
        var model = estimator.Fit(data);
        var transformerSchema = model.GetOutputSchema(data.Schema);
        var transformed = model.Transform(data).Schema;

        var fromData = SchemaShapes.Of(transformed);
        foreach (var column in shape)
        {
            var actual = fromData.SingleOrDefault(col => col.Name == column.Name);
            Assert.True(actual.Name == column.Name, $"Column {column.Name} missing after Transform.");
            Assert.Equal(column.Kind, actual.Kind);
            Assert.Equal(column.ItemType, actual.ItemType);
            Assert.Equal(column.IsKey, actual.IsKey);
        }

        Assert.Equal(transformed.Select(col => (col.Name, col.Type)), transformerSchema.Select(col => (col.Name, col.Type)));
    }

    [Theory]
    [MemberData(nameof(TrainerCase.Names), MemberType = typeof(TrainerCase))]
    public void GetOutputSchema_Always_EqualsStockTrainer(string name)
    {
        var c = TrainerCase.Get(name);
        var ml = new MLContext(1);
        var input = SchemaShapes.Of(c.Data(ml).Schema);
        var ours = c.Create(ml, null).GetOutputSchema(input);
        var stock = c.Stock(ml).GetOutputSchema(input);
        Assert.Equal(stock.Select(col => (col.Name, col.Kind, col.ItemType, col.IsKey)), ours.Select(col => (col.Name, col.Kind, col.ItemType, col.IsKey)));
    }

    [Theory]
    [MemberData(nameof(TrainerCase.Names), MemberType = typeof(TrainerCase))]
    public void SaveLoad_TrainedModel_GivesIdenticalScores(string name)
    {
        var c = TrainerCase.Get(name);
        var ml = new MLContext(1);
        var data = c.Data(ml);
        var model = c.Create(ml, null).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(7).Model.Load(stream, out _);

        var before = Scores(ml, model.Transform(data));
        var after = Scores(ml, loaded.Transform(data));
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(Math.Abs(before[i] - after[i]) <= 1e-6 * Math.Max(1, Math.Abs(before[i])), $"Score {i}: {before[i]} vs {after[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(TrainerCase.Names), MemberType = typeof(TrainerCase))]
    public void EvaluateAndCrossValidate_OurOutputs_AreAccepted(string name)
    {
        var c = TrainerCase.Get(name);
        var ml = new MLContext(1);
        var data = c.Data(ml);
        var model = c.Create(ml, null).Fit(data);
        Assert.InRange(c.Accuracy(ml, model.Transform(data)), 0.7, 1.0);
        Assert.Equal(3, c.CrossValidateFolds(ml, data, c.Create(ml, null)));
    }

    [Theory]
    [MemberData(nameof(TrainerCase.Names), MemberType = typeof(TrainerCase))]
    public void Fit_SameSeedAndThreads_BitIdenticalWeights(string name)
    {
        var c = TrainerCase.Get(name);
        float[] Train(int threads, int seed)
        {
            var ml = new MLContext(seed);
            return c.Weights(c.Create(ml, o => { o.NumberOfThreads = threads; o.Seed = seed; o.BatchSize = 128; }).Fit(c.Data(ml)));
        }

        Assert.Equal(Train(2, 5), Train(2, 5));
        Assert.Equal(Train(1, 5), Train(1, 5));
        Assert.NotEqual(Train(1, 5), Train(1, 6));
    }

    private static float[] Scores(MLContext ml, IDataView scored)
    {
        var column = scored.Schema["Score"];
        if (column.Type is VectorDataViewType)
        {
            return ml.Data.CreateEnumerable<VectorScore>(scored, false).SelectMany(r => r.Score).ToArray();
        }

        return ml.Data.CreateEnumerable<ScalarScore>(scored, false).Select(r => r.Score).ToArray();
    }

    private sealed class VectorScore
    {
        public float[] Score { get; set; } = [];
    }

    private sealed class ScalarScore
    {
        public float Score { get; set; }
    }
}
