using System.Numerics.Tensors;

namespace MLNet.Adam.Training;

/// <summary>Small numeric helpers of the training loop.</summary>
internal static class TrainingMath
{
    // The per-row penalty that the coupled L2 and proximal L1 steps minimize, so the monitored objective matches the optimized one.
    public static double RegularizationTerm(float[] parameters, int count, float l1, float l2, double totalWeight)
    {
        var span = parameters.AsSpan(0, count);
        double term = 0;
        if (l2 > 0)
        {
            term += 0.5 * l2 * TensorPrimitives.Dot(span, span) / totalWeight;
        }

        if (l1 > 0)
        {
            term += l1 * TensorPrimitives.SumOfMagnitudes(span) / totalWeight;
        }

        return term;
    }

    public static void AddL2(float[] gradient, float[] raw, float l2, int count)
    {
        if (l2 > 0)
        {
            var g = gradient.AsSpan(0, count);
            TensorPrimitives.MultiplyAdd(raw.AsSpan(0, count), l2, g, g);
        }
    }

    public static void ScaleInPlace(float[] values, float scale) =>
        TensorPrimitives.Multiply(values, scale, values);

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
