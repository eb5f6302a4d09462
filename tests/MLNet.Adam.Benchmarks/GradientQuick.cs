namespace MLNet.Adam.Benchmarks;

// Placeholder: owned by the work that fills it in.
internal static class GradientQuick
{
    public static void Run(QuickReport report) => report.Note("GradientQuick: not implemented yet");
}
