using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam.Tests.Conformance;
using MLNet.Adam.Tests.Support;
using MLNet.Adam.Trainers;

namespace MLNet.Adam.Tests.BadInput;

public class SchemaErrorTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var trainer in new[] { "binary", "multiclass" })
        {
            foreach (var problem in new[] { "missing-features", "wrong-label-type", "variable-size-features", "double-features", "missing-weight", "missing-label" })
            {
                data.Add(trainer, problem);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GetOutputSchemaAndFit_InvalidColumn_ThrowNamingTheColumn(string trainer, string problem)
    {
        var ml = new MLContext(1);
        var (data, configure, column) = Build(ml, trainer, problem);
        var estimator = TrainerCase.Get(trainer).Create(ml, configure);

        var fromSchema = Assert.ThrowsAny<Exception>(() => estimator.GetOutputSchema(SchemaShapes.Of(data.Schema)));
        var fromFit = Assert.ThrowsAny<Exception>(() => estimator.Fit(data));
        foreach (var error in new[] { fromSchema, fromFit })
        {
            Assert.True(error is ArgumentOutOfRangeException or InvalidOperationException, $"{error.GetType().Name}: {error.Message}");
            Assert.Contains($"'{column}'", error.Message);
        }
    }

    private static (IDataView Data, Action<AdamTrainerOptionsBase> Configure, string Column) Build(MLContext ml, string trainer, string problem)
    {
        bool binary = trainer == "binary";
        IDataView good = binary ? Synthetic.Binary(ml, 50) : Synthetic.Multiclass(ml, 50);
        switch (problem)
        {
            case "missing-features":
                return (good, o => o.FeatureColumnName = "Nope", "Nope");
            case "missing-label":
                return (good, o => o.LabelColumnName = "Absent", "Absent");
            case "missing-weight":
                return (good, o => o.ExampleWeightColumnName = "NoWeight", "NoWeight");
            case "wrong-label-type":
                return (good, o => o.LabelColumnName = "Weight", "Weight");
            case "variable-size-features":
                var rows = new[] { new VarRow { Label = true, Key = 1, Features = [1f] }, new VarRow { Label = false, Key = 2, Features = [1f, 2f] } };
                var view = ml.Data.LoadFromEnumerable(rows);
                return (binary ? view : Key(ml, view), o => o.LabelColumnName = binary ? "Label" : "KeyLabel", "Features");
            default:
                var doubles = new[] { new DoubleRow { Label = true, Key = 1, Features = [1, 2] }, new DoubleRow { Label = false, Key = 2, Features = [3, 4] } };
                var doubleView = ml.Data.LoadFromEnumerable(doubles);
                return (binary ? doubleView : Key(ml, doubleView), o => o.LabelColumnName = binary ? "Label" : "KeyLabel", "Features");
        }
    }

    private static IDataView Key(MLContext ml, IDataView view) =>
        ml.Transforms.Conversion.MapValueToKey("KeyLabel", "Key").Fit(view).Transform(view);

    private sealed class VarRow
    {
        public bool Label { get; set; }

        public float Key { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class DoubleRow
    {
        public bool Label { get; set; }

        public float Key { get; set; }

        [VectorType(2)]
        public double[] Features { get; set; } = [];
    }
}
