using MLNet.Adam.Kernels;
using MLNet.Adam.Kernels.Mkl;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// The workloads on which the MKL kernels are compared with the managed ones, shared by the quick harness and
/// BenchmarkDotNet. Each scenario gives one managed and one MKL action doing the same work.
/// </summary>
internal sealed class MklScenario
{
    public const int BatchRows = 256;

    private MklScenario(string name, double unitsPerCall, string unit, Action managed, Action mkl)
    {
        Name = name;
        UnitsPerCall = unitsPerCall;
        Unit = unit;
        Managed = managed;
        Mkl = mkl;
    }

    public static IReadOnlyList<string> Names { get; } =
        ["update_1e6", "gradient_d784_k10", "gradient_d784_k100", "sparse_d10000_k10", "sparse_d10000_k100"];

    public string Name { get; }

    /// <summary>Parameters updated or examples processed per call, to report time per unit.</summary>
    public double UnitsPerCall { get; }

    public string Unit { get; }

    public Action Managed { get; }

    public Action Mkl { get; }

    public static MklScenario Create(string name) => name switch
    {
        "update_1e6" => Update(name, 1_000_000),
        "gradient_d784_k10" => Gradient(name, 784, 10, sparse: false, density: 1),
        "gradient_d784_k100" => Gradient(name, 784, 100, sparse: false, density: 1),
        // Layouts as the managed side is built for them: class-major for few classes, feature-major for many.
        "sparse_d10000_k10" => Gradient(name, 10_000, 10, sparse: true, density: 0.01),
        "sparse_d10000_k100" => Gradient(name, 10_000, 100, sparse: true, density: 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown MKL scenario."),
    };

    private static MklScenario Update(string name, int length)
    {
        var random = new Random(1);
        float[] Fill(float scale) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5) * scale).ToArray();
        var p = Fill(1);
        var g = Fill(1);
        var m = Fill(0.1f);
        var v = Fill(0.1f).Select(x => x * x).ToArray();
        var scalars = new AdamStepScalars(0.9f, 0.999f, 1e-3f, 1e-8f, 0f, 1f, 0f, false);
        var managed = KernelFactory.CreateAdamUpdate(KernelBackend.Managed);
        var mkl = KernelFactory.CreateAdamUpdate(KernelBackend.Mkl);
        return new MklScenario(
            name,
            length,
            "parameter",
            () => managed.Step(p, g, m, v, default, scalars),
            () => mkl.Step(p, g, m, v, default, scalars));
    }

    private static MklScenario Gradient(string name, int features, int classes, bool sparse, double density)
    {
        var layout = sparse && classes > MklBackend.SparseOutputLimit ? WeightLayout.FeatureMajor : WeightLayout.ClassMajor;
        var shape = ModelShape.Multiclass(features, classes, layout);
        var random = new Random(2);
        var batch = new MiniBatch(features, BatchRows, sparse);
        var row = new float[features];
        for (int i = 0; i < BatchRows; i++)
        {
            for (int j = 0; j < features; j++)
            {
                row[j] = random.NextDouble() < density ? (float)random.NextDouble() : 0f;
            }

            batch.AddDense(row, random.Next(classes), 1f);
        }

        var parameters = Enumerable.Range(0, shape.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        var gradient = new float[shape.ParameterCount];
        var managed = KernelFactory.CreateGradient(shape, sparse, KernelBackend.Managed);
        var mkl = KernelFactory.CreateGradient(shape, sparse, KernelBackend.Mkl);
        return new MklScenario(
            name,
            BatchRows,
            "example",
            () => managed.LossAndGradient(batch, 0, BatchRows, parameters, gradient),
            () => mkl.LossAndGradient(batch, 0, BatchRows, parameters, gradient));
    }
}
