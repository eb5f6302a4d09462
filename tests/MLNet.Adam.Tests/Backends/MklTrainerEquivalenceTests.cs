using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Kernels;
using MLNet.Adam.Kernels.Mkl;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Tests.Backends;

/// <summary>Skipped, with the loader's reason, when Intel MKL cannot be loaded.</summary>
public sealed class MklTheoryAttribute : TheoryAttribute
{
    public MklTheoryAttribute()
    {
        if (!MklBackend.TryLoad(out var reason))
        {
            Skip = $"Intel MKL is not available ({reason}); install it with `sudo bash scripts/install-mkl.sh`.";
        }
    }
}

/// <summary>
/// Both trainers give equivalent models on the managed and the MKL backend: metrics within 1e-3 and every weight
/// within 1e-3 of the largest weight's magnitude (MKL's sums round differently, so bit equality is not expected).
/// </summary>
[Trait("Category", "Mkl")]
public class MklTrainerEquivalenceTests
{
    [MklTheory]
    [InlineData("binary-dense")]
    [InlineData("binary-sparse")]
    [InlineData("multiclass-dense-10")]
    [InlineData("multiclass-sparse-5")]
    public void Fit_ManagedAndMkl_GiveEquivalentModels(string scenario)
    {
        var ml = new MLContext(1);
        bool binary = scenario.StartsWith("binary", StringComparison.Ordinal);
        var data = Data(ml, scenario);
        var c = binary ? TrainerCase.Binary : TrainerCase.Multiclass;
        (double Accuracy, float[] Weights) Train(KernelBackend backend)
        {
            var model = c.Create(ml, o => { o.Backend = backend; o.NumberOfEpochs = 20; o.Seed = 3; o.L2Regularization = 1; }).Fit(data);
            return (c.Accuracy(ml, model.Transform(data)), c.Weights(model));
        }

        var managed = Train(KernelBackend.Managed);
        var mkl = Train(KernelBackend.Mkl);
        Assert.Equal(managed.Accuracy, mkl.Accuracy, 3);
        float scale = managed.Weights.Max(Math.Abs);
        for (int i = 0; i < managed.Weights.Length; i++)
        {
            Assert.True(Math.Abs(managed.Weights[i] - mkl.Weights[i]) <= 1e-3f * scale, $"weight {i}: managed {managed.Weights[i]}, MKL {mkl.Weights[i]}");
        }
    }

    private static IDataView Data(MLContext ml, string scenario)
    {
        switch (scenario)
        {
            case "binary-dense":
                return Synthetic.Binary(ml, rows: 600, features: 20);
            case "multiclass-dense-10":
                return Synthetic.Multiclass(ml, rows: 800, features: 30, classes: 10);
            default:
                // Mostly-zero rows: the reader keeps them sparse (CSR), which routes to the sparse kernels.
                bool binary = scenario.StartsWith("binary", StringComparison.Ordinal);
                var random = new Random(4);
                var rows = Enumerable.Range(0, 600).Select(i =>
                {
                    int c = random.Next(binary ? 2 : 5);
                    var x = new float[200];
                    for (int k = 0; k < 6; k++)
                    {
                        x[random.Next(200)] = 1;
                    }

                    x[c * 7] = 2;
                    return new SparseRow { Label = (uint)c, Flag = c == 1, Features = new VBuffer<float>(200, x.Count(v => v != 0), x.Where(v => v != 0).ToArray(), Enumerable.Range(0, 200).Where(j => x[j] != 0).ToArray()) };
                }).ToList();
                var schema = SchemaDefinition.Create(typeof(SparseRow));
                schema[nameof(SparseRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 200);
                schema[nameof(SparseRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), 5);
                var view = ml.Data.LoadFromEnumerable(rows, schema);
                return binary
                    ? ml.Transforms.DropColumns("Label").Append(ml.Transforms.CopyColumns("Label", "Flag")).Fit(view).Transform(view)
                    : view;
        }
    }

    private sealed class SparseRow
    {
        public uint Label { get; set; }

        public bool Flag { get; set; }

        public VBuffer<float> Features { get; set; }
    }
}
