namespace MLNet.Adam.Benchmarks;

// Placeholder: owned by the work that fills it in.
internal static class UpdateQuick
{
    public static void Run(QuickReport report) => report.Note("UpdateQuick: not implemented yet");
}
