using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Kernels;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// Thread scaling of training: the sharded mini-batch gradient alone, and a whole Fit, with 1 and 2 threads in the
/// same run (dense, d = 784, k = 10, batch 256).
/// </summary>
internal static class TrainingQuick
{
    public static void Run(QuickReport report)
    {
        const int features = 784, classes = 10, batchSize = 256;
        var shape = ModelShape.Multiclass(features, classes, WeightLayout.ClassMajor);
        var random = new Random(1);
        var batch = new MiniBatch(features, batchSize, isSparse: false);
        var row = new float[features];
        for (int i = 0; i < batchSize; i++)
        {
            for (int j = 0; j < features; j++)
            {
                row[j] = (float)random.NextDouble();
            }

            batch.AddDense(row, i % classes, 1f);
        }

        var parameters = new float[shape.ParameterCount];
        var gradient = new float[shape.ParameterCount];
        var one = new ShardedGradient(() => KernelFactory.CreateGradient(shape, false, KernelBackend.Managed), shape, 1);
        var two = new ShardedGradient(() => KernelFactory.CreateGradient(shape, false, KernelBackend.Managed), shape, 2);
        double t1 = QuickReport.MeasureNanoseconds(() => one.Compute(batch, parameters, gradient));
        double t2 = QuickReport.MeasureNanoseconds(() => two.Compute(batch, parameters, gradient));
        report.Add("threads2_gradient_speedup_d784_k10_batch256", t1 / t2);
        Crossover(report);

        var ml = new MLContext(1);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(Rows(20000, features, classes), Schema(features, classes)));
        double fit1 = TimeFit(ml, data, 1), fit2 = TimeFit(ml, data, 2);
        fit1 = Math.Min(fit1, TimeFit(ml, data, 1));
        fit2 = Math.Min(fit2, TimeFit(ml, data, 2));
        report.Note($"fit of 20000 x 784, 10 classes, 5 epochs: 1 thread {fit1:F0} ms, 2 threads {fit2:F0} ms");
        report.Add("threads2_fit_speedup_d784_k10", fit1 / fit2);
    }

    // The batch work (multiply-adds) at which splitting a batch over two threads starts to pay: 1 shard against 2
    // forced shards on dense batches of 256 rows and growing width, in the same run.
    private static void Crossover(QuickReport report)
    {
        foreach (var (features, classes) in new[] { (50, 1), (200, 1), (784, 1), (100, 10), (784, 3), (784, 10), (2000, 10) })
        {
            var shape = classes == 1 ? ModelShape.Binary(features) : ModelShape.Multiclass(features, classes, WeightLayout.ClassMajor);
            var random = new Random(2);
            var batch = new MiniBatch(features, 256, isSparse: false);
            var row = new float[features];
            for (int i = 0; i < 256; i++)
            {
                for (int j = 0; j < features; j++)
                {
                    row[j] = (float)random.NextDouble();
                }

                batch.AddDense(row, i % Math.Max(classes, 2), 1f);
            }

            var parameters = new float[shape.ParameterCount];
            var gradient = new float[shape.ParameterCount];
            var one = new ShardedGradient(() => KernelFactory.CreateGradient(shape, false, KernelBackend.Managed), shape, 1);
            var two = new ShardedGradient(() => KernelFactory.CreateGradient(shape, false, KernelBackend.Managed), shape, 2) { WorkPerShard = 0 };
            double t1 = QuickReport.MeasureNanoseconds(() => one.Compute(batch, parameters, gradient));
            double t2 = QuickReport.MeasureNanoseconds(() => two.Compute(batch, parameters, gradient));
            double work = 256.0 * features * shape.OutputCount;
            report.Note($"crossover: batch 256 x {features} features x {shape.OutputCount} output(s) = {work:E2} multiply-adds: 1 thread {t1 / 1000:F1} us, 2 threads {t2 / 1000:F1} us, speedup {t1 / t2:F2}");
        }
    }

    private static double TimeFit(MLContext ml, IDataView data, int threads)
    {
        var trainer = new AdamMaximumEntropyMulticlassTrainer(ml, new()
        {
            NumberOfThreads = threads, NumberOfEpochs = 5, ConvergenceTolerance = 0, EarlyStoppingPatience = 100,
            Schedule = new LearningRateScheduleOptions { Kind = LearningRateScheduleKind.Constant },
        });
        var clock = Stopwatch.StartNew();
        trainer.Fit(data);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static IEnumerable<Row> Rows(int count, int features, int classes)
    {
        var random = new Random(2);
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(classes);
            yield return new Row { Label = (uint)c, Features = Enumerable.Range(0, features).Select(j => (float)(random.NextDouble() + (j % classes == c ? 0.5 : 0))).ToArray() };
        }
    }

    private static SchemaDefinition Schema(int features, int classes)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        schema[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        return schema;
    }

    private sealed class Row
    {
        public uint Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
