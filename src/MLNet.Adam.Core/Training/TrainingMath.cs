namespace MLNet.Adam.Training;

/// <summary>The finiteness check of the training loop and the row reader.</summary>
internal static class TrainingMath
{
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x - x is 0 for finite x and NaN for NaN or infinity, and a NaN survives any sum. Independent vector
        // accumulators keep this off the critical path of reading a row.
        var acc = System.Numerics.Vector<float>.Zero;
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values);
        foreach (var v in vectors)
        {
            acc += v - v;
        }

        float tail = 0;
        for (int i = vectors.Length * System.Numerics.Vector<float>.Count; i < values.Length; i++)
        {
            tail += values[i] - values[i];
        }

        return tail == 0 && System.Numerics.Vector.Sum(acc) == 0;
    }
}
