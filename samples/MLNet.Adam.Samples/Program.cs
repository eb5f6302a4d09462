using MLNet.Adam.Samples;

// Runs one sample by name, or all of them: dotnet run --project samples/MLNet.Adam.Samples [binary|multiclass|text|save-load|onnx]
var samples = new Dictionary<string, Func<double>>
{
    ["binary"] = BinaryClassification.Run,
    ["multiclass"] = MulticlassClassification.Run,
    ["text"] = TextClassification.Run,
    ["save-load"] = SaveAndLoad.Run,
    ["onnx"] = OnnxExport.Run,
};

var selected = args.Length == 0 ? samples.Keys.ToArray() : args;
foreach (var name in selected)
{
    if (!samples.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"Unknown sample '{name}'. Samples: {string.Join(", ", samples.Keys)}.");
        return 1;
    }

    Console.WriteLine($"== {name}");
    run();
}

return 0;
