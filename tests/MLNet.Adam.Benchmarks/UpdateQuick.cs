using System.Diagnostics;
using MLNet.Adam.Kernels;

namespace MLNet.Adam.Benchmarks;

/// <summary>
/// Quick measurement of the Adam update step: the fused kernel against the memory-pattern ceiling, the
/// TensorPrimitives chain and the scalar reference. Kernels are measured in interleaved rounds (each time the best of
/// three repeats) and every ratio is the median of the per-round ratios, so both sides of a ratio were measured
/// moments apart under the same load from other processes. The arrays are allocated the way the library allocates its
/// own (plain arrays, whatever their alignment); the note lines give their offsets and each kernel's best time.
/// </summary>
internal static class UpdateQuick
{
    private const int Rounds = 40;

    public static void Run(QuickReport report)
    {
        var fused = new FusedAdamUpdateKernel();
        var scalar = new ScalarAdamUpdateKernel();
        report.Note($"Update: {fused.Name}, {Environment.ProcessorCount} logical cores, {Rounds} interleaved rounds; ratios are medians of per-round ratios");
        var scalars = new AdamStepScalars(0.9f, 0.999f, 1e-3f, 1e-8f, 0f, 1f, 0f, false);

        foreach (int n in new[] { 100_000, 1_000_000 })
        {
            string label = n == 100_000 ? "1e5" : "1e6";
            var data = UpdateData.Create(n, seed: 1);
            report.Note($"update_{label}: array start offsets mod 64 bytes: {data.AlignmentSummary()}");
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

            var rounds = MeasureInterleaved(kernels);
            double fusedNs = rounds["fused"].Min();

            // The ceiling is the faster of its two memory treatments in each round, so the ratio cannot flatter the
            // fused kernel by giving the ceiling a prefetch choice that is wrong at this size or at this moment.
            var ceilingRounds = rounds["ceiling"].Zip(rounds["ceiling-no-prefetch"], Math.Min).ToArray();
            double ceilingNs = ceilingRounds.Min();
            report.Note($"update_{label}: best of rounds: fused {fusedNs / n * 1000:F1} ps/parameter, ceiling " +
                $"{rounds["ceiling"].Min() / n * 1000:F1} with prefetch and {rounds["ceiling-no-prefetch"].Min() / n * 1000:F1} " +
                $"without; ratio of the bests {ceilingNs / fusedNs:F3}");
            report.Add($"update_vs_ceiling_{label}", MedianRatio(ceilingRounds, rounds["fused"]));
            report.Add($"update_gbps_{label}", (double)UpdateBaselines.BytesPerParameter * n / fusedNs);
            report.Add($"update_ceiling_gbps_{label}", (double)UpdateBaselines.BytesPerParameter * n / ceilingNs);
            if (n == 1_000_000)
            {
                report.Add("update_vs_tensorprimitives_1e6", MedianRatio(rounds["chain"], rounds["fused"]));
                report.Add("update_vs_scalar_1e6", MedianRatio(rounds["scalar"], rounds["fused"]));
            }
        }
    }

    /// <summary>
    /// The median over rounds of <paramref name="numerator"/>[r] / <paramref name="denominator"/>[r]: each round's two
    /// times were taken moments apart, under the same conditions. The memory system of this shared machine speeds up
    /// and slows down with other virtual machines' traffic, which changes memory-bound kernels multiplicatively, so the
    /// ratio of two separately found best times can pair one kernel's luckiest moment with another's ordinary one.
    /// </summary>
    private static double MedianRatio(double[] numerator, double[] denominator)
    {
        var ratios = numerator.Zip(denominator, (a, b) => a / b).Order().ToArray();
        return ratios.Length % 2 == 1
            ? ratios[ratios.Length / 2]
            : (ratios[(ratios.Length / 2) - 1] + ratios[ratios.Length / 2]) / 2;
    }

    /// <summary>Each kernel's time (ns per call, best of 3 repeats) in each of <see cref="Rounds"/> interleaved rounds.</summary>
    private static Dictionary<string, double[]> MeasureInterleaved(List<(string Name, Action Action)> kernels)
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

        var times = kernels.ToDictionary(k => k.Name, _ => new double[Rounds]);
        for (int round = 0; round < Rounds; round++)
        {
            // Alternating the order keeps any drift within a round (caches, clock) from favouring one kernel.
            for (int k = 0; k < kernels.Count; k++)
            {
                var (name, action) = kernels[round % 2 == 0 ? k : kernels.Count - 1 - k];
                times[name][round] = QuickReport.MeasureNanoseconds(action, repeats: 3, targetMilliseconds: 12);
            }
        }

        return times;
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

    /// <summary>Byte offset of each array's first element within its cache line (p, g, m, v).</summary>
    public unsafe string AlignmentSummary()
    {
        fixed (float* p = P, g = G, m = M, v = V)
        {
            return $"p {(nuint)p % 64}, g {(nuint)g % 64}, m {(nuint)m % 64}, v {(nuint)v % 64}";
        }
    }

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
