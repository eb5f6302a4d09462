using System.Diagnostics;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// Quick measurement of the Adam update step: the fused kernel against the memory-pattern ceiling, the
/// TensorPrimitives chain and the scalar reference. Kernels are measured in interleaved rounds and each keeps its
/// best time, so that load from other processes on a shared machine (which only ever adds time) hits all of them
/// alike and the ratios stay meaningful.
/// </summary>
internal static class UpdateQuick
{
    private const int Rounds = 40;

    public static void Run(QuickReport report)
    {
        var fused = new FusedAdamUpdateKernel();
        var scalar = new ScalarAdamUpdateKernel();
        report.Note($"Update: {fused.Name}, {Environment.ProcessorCount} logical cores, best of {Rounds} interleaved rounds");
        var scalars = new AdamStepScalars(0.9f, 0.999f, 1e-3f, 1e-8f, 0f, 1f, 0f, false);

        foreach (int n in new[] { 100_000, 1_000_000 })
        {
            string label = n == 100_000 ? "1e5" : "1e6";
            var data = UpdateData.Create(n, seed: 1);
            var kernels = new List<(string Name, Action Action)>
            {
                ("fused", () => fused.Step(data.P, data.G, data.M, data.V, default, scalars)),
                ("ceiling", () => UpdateBaselines.Ceiling(data.P, data.G, data.M, data.V, prefetch: true)),
                ("ceiling-no-prefetch", () => UpdateBaselines.Ceiling(data.P, data.G, data.M, data.V, prefetch: false)),
            };
            if (n == 1_000_000)
            {
                kernels.Add(("chain", () => UpdateBaselines.TensorPrimitivesChain(
                    data.P, data.G, data.M, data.V, data.Scratch1, data.Scratch2, scalars)));
                kernels.Add(("scalar", () => scalar.Step(data.P, data.G, data.M, data.V, default, scalars)));
            }

            var best = MeasureInterleaved(kernels);
            double fusedNs = best["fused"];

            // The ceiling is the faster of its two memory treatments, so the ratio cannot flatter the fused kernel
            // by giving the ceiling a prefetch choice that is wrong at this size.
            double ceilingNs = Math.Min(best["ceiling"], best["ceiling-no-prefetch"]);
            report.Note($"update_{label}: fused {fusedNs / n * 1000:F1} ps/parameter, ceiling {best["ceiling"] / n * 1000:F1} " +
                $"with prefetch and {best["ceiling-no-prefetch"] / n * 1000:F1} without");
            report.Add($"update_vs_ceiling_{label}", ceilingNs / fusedNs);
            report.Add($"update_gbps_{label}", (double)UpdateBaselines.BytesPerParameter * n / fusedNs);
            report.Add($"update_ceiling_gbps_{label}", (double)UpdateBaselines.BytesPerParameter * n / ceilingNs);
            if (n == 1_000_000)
            {
                report.Add("update_vs_tensorprimitives_1e6", best["chain"] / fusedNs);
                report.Add("update_vs_scalar_1e6", best["scalar"] / fusedNs);
            }
        }
    }

    private static Dictionary<string, double> MeasureInterleaved(List<(string Name, Action Action)> kernels)
    {
        // Long enough for tiered compilation to replace every kernel's first code with optimized code.
        foreach (var (_, action) in kernels)
        {
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 300)
            {
                action();
            }
        }

        var best = kernels.ToDictionary(k => k.Name, _ => double.MaxValue);
        for (int round = 0; round < Rounds; round++)
        {
            // Alternating the order keeps any drift within a round (caches, clock) from favouring one kernel.
            for (int k = 0; k < kernels.Count; k++)
            {
                var (name, action) = kernels[round % 2 == 0 ? k : kernels.Count - 1 - k];
                double ns = QuickReport.MeasureNanoseconds(action, repeats: 3, targetMilliseconds: 12);
                best[name] = Math.Min(best[name], ns);
            }
        }

        return best;
    }
}

/// <summary>Buffers of one Adam update benchmark, filled with values in the ranges training produces.</summary>
internal sealed class UpdateData
{
    private UpdateData(int n)
    {
        P = new float[n];
        G = new float[n];
        M = new float[n];
        V = new float[n];
        Scratch1 = new float[n];
        Scratch2 = new float[n];
    }

    public float[] P { get; }

    public float[] G { get; }

    public float[] M { get; }

    public float[] V { get; }

    public float[] Scratch1 { get; }

    public float[] Scratch2 { get; }

    public static UpdateData Create(int n, int seed)
    {
        var random = new Random(seed);
        var data = new UpdateData(n);
        for (int i = 0; i < n; i++)
        {
            data.P[i] = (float)random.NextDouble() - 0.5f;
            data.G[i] = ((float)random.NextDouble() - 0.5f) * 0.1f;
            data.M[i] = data.G[i] * 0.5f;
            data.V[i] = data.G[i] * data.G[i];
        }

        return data;
    }
}
