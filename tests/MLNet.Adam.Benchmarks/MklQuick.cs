namespace MLNet.Adam.Benchmarks;

// Placeholder: owned by the work that fills it in.
internal static class MklQuick
{
    public static void Run(QuickReport report) => report.Note("MklQuick: not implemented yet");
}
