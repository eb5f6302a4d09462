using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Benchmarks.Fit;
using MLNet.Adam.ModelFiles;

namespace MLNet.Adam.Benchmarks.ColdStart;

/// <summary>
/// Warm-ups run before the first timed fit, to split the first fit's cost by what a warm-up already compiled:
/// <c>tiny-adam</c> fits Adam on the first 300 rows (same schema: every code path but the size-dependent ones),
/// <c>lbfgs</c> fits ML.NET's L-BFGS on the same data (ML.NET's cursors, model parameters and calibrator code that
/// both trainers share), <c>model</c> builds our model object the way Fit ends (write the ML.NET model zip in memory and
/// load it back, <see cref="LinearModelFile"/>) with zero weights (binary data sets only), <c>model-probe</c> prints
/// to standard error the times of that build split into its cold write and its cold load, then of whole builds again in
/// the same context and in a new one, and the medians of 100 warm builds
/// and of 100 schema files written by ML.NET's binary saver (a build writes one or two).
/// </summary>
internal static class ColdStartWarmUp
{
    public static readonly string[] Parts = ["tiny-adam", "lbfgs", "model", "model-probe"];

    public static void Run(string part, MLContext ml, IDataView train, bool multiclass)
    {
        switch (part)
        {
            case "tiny-adam":
                FitTrainers.Create(ml, "adam", multiclass, []).Fit(ml.Data.Cache(ml.Data.TakeRows(train, 300)));
                break;
            case "lbfgs":
                FitTrainers.Create(ml, "lbfgs", multiclass, []).Fit(train);
                break;
            case "model" when !multiclass:
            {
                int features = ((VectorDataViewType)train.Schema["Features"].Type).Size;
                LinearModelFile.CreateBinary(ml, train.Schema, "Features", new float[features], 0f);
                break;
            }

            case "model-probe" when !multiclass:
            {
                // How much of building the model is the write and how much the load, and how much is per process and how
                // much per MLContext.
                int features = ((VectorDataViewType)train.Schema["Features"].Type).Size;
                var other = new MLContext(2);
                var split = System.Diagnostics.Stopwatch.StartNew();
                using (var buffer = new MemoryStream())
                {
                    LinearModelFile.WriteBinary(buffer, train.Schema, "Features", new float[features], 0f);
                    double write = split.Elapsed.TotalMilliseconds;
                    buffer.Position = 0;
                    LinearModelFile.LoadBinary(ml, buffer);
                    Console.Error.WriteLine($"model-probe: cold write {write:F1} ms, then cold load {split.Elapsed.TotalMilliseconds - write:F1} ms");
                }

                foreach (var (label, context) in new[] { ("whole build again, context A", ml), ("once more, context A", ml), ("new context B", other), ("again, context B", other) })
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    LinearModelFile.CreateBinary(context, train.Schema, "Features", new float[features], 0f);
                    Console.Error.WriteLine($"model-probe: {label}: {clock.Elapsed.TotalMilliseconds:F1} ms");
                }

                // Warm: a whole build against one schema file written by ML.NET's binary saver, interleaved, medians.
                var builds = new List<double>();
                var schemaFiles = new List<double>();
                for (int i = 0; i < 100; i++)
                {
                    var warm = System.Diagnostics.Stopwatch.StartNew();
                    LinearModelFile.CreateBinary(ml, train.Schema, "Features", new float[features], 0f);
                    builds.Add(warm.Elapsed.TotalMilliseconds);
                    warm.Restart();
                    using var file = new MemoryStream();
                    ml.Data.SaveAsBinary(new ZeroRowDataView(train.Schema), file, keepHidden: true);
                    schemaFiles.Add(warm.Elapsed.TotalMilliseconds);
                }

                builds.Sort();
                schemaFiles.Sort();
                Console.Error.WriteLine($"model-probe: warm, median of 100: whole build {builds[50]:F2} ms, one schema file {schemaFiles[50]:F2} ms");
                break;
            }

            default:
                throw new ArgumentException($"Unknown warm-up {part}; known: {string.Join(", ", Parts)}.");
        }
    }
}
