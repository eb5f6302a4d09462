namespace MLNet.Adam.Objectives;

/// <summary>
/// Numerically stable scalar pieces of binary logistic regression, shared by every gradient kernel so that the fast
/// kernels and the reference agree on edge cases (saturated logits, NaN propagation).
/// </summary>
internal static class LogisticMath
{
    /// <summary>
    /// <c>log(1 + exp(t))</c> written as <c>max(t, 0) + log(1 + exp(-|t|))</c>: exp never overflows, and for large
    /// negative t the result keeps full relative precision.
    /// </summary>
    public static double Log1PExp(double t) =>
        t > 0 ? t + LogOnePlusSmall(Math.Exp(-t)) : LogOnePlusSmall(Math.Exp(t));

    /// <summary><c>1 / (1 + exp(-z))</c> without overflow for any finite or infinite z.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }

        double e = Math.Exp(z);
        return e / (1 + e);
    }

    /// <summary>Cross-entropy of logit <paramref name="z"/> against label 0 or 1: <c>log(1 + exp(-s z))</c>, s = 2 label - 1.</summary>
    public static double Loss(double z, int label) => Log1PExp(label == 1 ? -z : z);

    /// <summary>
    /// Clamps a logit into the float range. A float dot product can overflow to infinity although the true logit
    /// is finite; saturating at <see cref="float.MaxValue"/> keeps the loss finite and the residual exact (it is 0
    /// or -1 by then), while NaN (a NaN input) passes through.
    /// </summary>
    public static double Saturate(double z) => z > float.MaxValue ? float.MaxValue : z < -float.MaxValue ? -float.MaxValue : z;

    /// <summary>True when a binary prediction (class 1 iff z &gt; 0) equals <paramref name="label"/>.</summary>
    public static bool IsCorrect(double z, int label) => (z > 0) == (label == 1);

    // log(1 + e) for e in [0, 1]: log1p is not in .NET, and 1 + e loses e's low bits when e is tiny.
    private static double LogOnePlusSmall(double e)
    {
        if (e < 1e-8)
        {
            return e - (0.5 * e * e);
        }

        double u = 1 + e;
        return Math.Log(u) - (((u - 1) - e) / u);
    }
}
