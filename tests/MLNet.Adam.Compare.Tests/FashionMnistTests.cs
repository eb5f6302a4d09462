using System.Text.Json;
using MLNet.Adam.Compare.Data;
using MLNet.Adam.Compare.Output;

namespace MLNet.Adam.Compare.Tests;

public sealed class FashionMnistTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [FashionMnistFact]
    public void ReadRows_TestImages_784PixelsInByteRangeAndKnownClasses()
    {
        var rows = FashionMnist.ReadRows(
            Path.Combine(FashionMnist.DefaultDirectory, FashionMnist.TestImages), Path.Combine(FashionMnist.DefaultDirectory, FashionMnist.TestLabels), cap: 200);

        Assert.Equal(200, rows.Count);
        Assert.All(rows, r => Assert.Equal(784, r.Features.Length));
        Assert.All(rows, r => Assert.InRange(r.Features.Max(), 1f, 255f));
        Assert.True(rows.Select(r => r.Label).Distinct().Count() >= 8, "200 test images cover most of the 10 classes");
    }

    [FashionMnistFact]
    public void Run_FashionMnistCappedTraining_EvaluatesOnTheTenThousandTestImages()
    {
        var options = _files.Options("--dataset", "fashion-mnist", "--rows", "1000", "--trainers", "adam");

        var (code, output, errors) = TestFiles.Run(options);

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("1000 training images, 10000 test images", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_files.Root, "out", ReportWriter.JsonFile)));
        var fold = json.RootElement.GetProperty("leaderboard")[0].GetProperty("folds")[0];
        Assert.InRange(fold.GetProperty("accuracy").GetDouble(), 0.6, 1.0);
    }
}
