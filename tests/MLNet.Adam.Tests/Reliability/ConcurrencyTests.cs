using Microsoft.ML;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Tests.Reliability;

/// <summary>
/// Fits running at the same time, on one trainer or on several, over one data view, each give the weights a lone Fit
/// gives (same seed and thread count: bit for bit), and leave every cursor disposed.
/// </summary>
public class ConcurrencyTests
{
    [Theory]
    [MemberData(nameof(TrainerCase.Names), MemberType = typeof(TrainerCase))]
    public void Fit_ConcurrentlyOnOneTrainerAndOnSeveral_GivesTheLoneFitsWeights(string name)
    {
        var c = TrainerCase.Get(name);
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 500).Select(i =>
        {
            var random = new Random(i);
            uint key = (uint)(i % 4) + 1;
            return new InstrumentedRow(key, i % 2 == 0, 1f, Enumerable.Range(0, 6).Select(j => (float)(random.NextDouble() + (j == key || (i % 2 == 0 && j == 0) ? 1 : 0))).ToArray());
        }).ToList();
        var view = new InstrumentedDataView(rows, 6, name == "binary" ? null : 5, hasWeight: false, canShuffle: true);
        void Configure(AdamTrainerOptionsBase o)
        {
            o.NumberOfEpochs = 4;
            o.BatchSize = 32;
            o.NumberOfThreads = 2;
            o.ValidationFraction = 0.2f;
        }

        var expected = c.Weights(c.Create(ml, Configure).Fit(view));
        var shared = c.Create(ml, Configure);
        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var trainer = i % 2 == 0 ? shared : c.Create(ml, Configure);
            results[i] = c.Weights(trainer.Fit(view));
        });

        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.Equal(view.Opened, view.Disposed);
    }
}
