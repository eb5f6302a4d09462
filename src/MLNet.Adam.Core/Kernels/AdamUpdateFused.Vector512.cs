using System.Runtime.Intrinsics;

namespace MLNet.Adam.Kernels;

/// <content>The <see cref="Vector512{T}"/> loop; it mirrors the scalar rule operation for operation.</content>
public sealed partial class FusedAdamUpdateKernel
{
    private static nuint Loop512<TAmsgrad, TL2, TDecay, TL1>(in Buffers b, in AdamUpdateCoefficients c)
        where TAmsgrad : struct, IAdamUpdateFlag
        where TL2 : struct, IAdamUpdateFlag
        where TDecay : struct, IAdamUpdateFlag
        where TL1 : struct, IAdamUpdateFlag
    {
        nuint width = (nuint)Vector512<float>.Count;
        nuint n = b.Length;
        if (n < width)
        {
            return 0;
        }

        var beta1 = Vector512.Create(c.Beta1);
        var beta2 = Vector512.Create(c.Beta2);
        var oneMinusBeta1 = Vector512.Create(c.OneMinusBeta1);
        var oneMinusBeta2 = Vector512.Create(c.OneMinusBeta2);
        var stepSize = Vector512.Create(c.StepSize);
        var epsilonHat = Vector512.Create(c.EpsilonHat);
        var l2 = Vector512.Create(c.L2);
        var decay = Vector512.Create(c.DecayFactor);
        var l1Step = Vector512.Create(c.L1Step);
        var signBit = Vector512.Create(-0f);

        nuint i = 0;
        for (; i <= n - width; i += width)
        {
            var p = Vector512.LoadUnsafe(ref b.P, i);
            var g = Vector512.LoadUnsafe(ref b.G, i);
            if (TL2.IsOn)
            {
                g += l2 * p;
            }

            var m = (beta1 * Vector512.LoadUnsafe(ref b.M, i)) + (oneMinusBeta1 * g);
            var v = (beta2 * Vector512.LoadUnsafe(ref b.V, i)) + (oneMinusBeta2 * g * g);
            m.StoreUnsafe(ref b.M, i);
            v.StoreUnsafe(ref b.V, i);

            var vm = v;
            if (TAmsgrad.IsOn)
            {
                var max = Vector512.LoadUnsafe(ref b.MaxV, i);
                vm = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(max, v), max, v);
                vm.StoreUnsafe(ref b.MaxV, i);
            }

            var denominator = Vector512.Sqrt(vm) + epsilonHat;
            if (TDecay.IsOn)
            {
                p *= decay;
            }

            p -= (stepSize * m) / denominator;
            if (TL1.IsOn)
            {
                var shrunk = Vector512.Abs(p) - (l1Step / denominator);
                shrunk = Vector512.AndNot(shrunk, Vector512.LessThan(shrunk, Vector512<float>.Zero));
                p = Vector512.AndNot(shrunk, signBit) | (p & signBit);
            }

            p.StoreUnsafe(ref b.P, i);
        }

        return i;
    }
}
