namespace MLNet.Adam.Core.Tests.Optimization;

/// <summary>
/// Adam in double precision written the textbook way (bias-corrected moments, Kingma &amp; Ba 2015 Algorithm 1), with
/// the library's optional terms, as an independent oracle for the optimizer's folded-scalar float implementation.
/// </summary>
internal sealed class AdamReference(int n, double beta1, double beta2, double epsilon, bool amsgrad, double l2, double weightDecay, double l1)
{
    private readonly double[] _m = new double[n];
    private readonly double[] _v = new double[n];
    private readonly double[] _maxV = new double[n];
    private int _t;

    public void Step(double[] p, double[] gradient, double lr)
    {
        _t++;
        for (int i = 0; i < p.Length; i++)
        {
            double g = gradient[i] + (l2 * p[i]);
            _m[i] = (beta1 * _m[i]) + ((1 - beta1) * g);
            _v[i] = (beta2 * _v[i]) + ((1 - beta2) * g * g);
            _maxV[i] = Math.Max(_maxV[i], _v[i]);
            double mHat = _m[i] / (1 - Math.Pow(beta1, _t));
            double vHat = (amsgrad ? _maxV[i] : _v[i]) / (1 - Math.Pow(beta2, _t));
            double effective = lr / (Math.Sqrt(vHat) + epsilon);
            double next = (p[i] * (1 - (lr * weightDecay))) - (effective * mHat);
            p[i] = Math.Sign(next) * Math.Max(Math.Abs(next) - (l1 * effective), 0);
        }
    }
}
