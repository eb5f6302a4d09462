using System.Text;
using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Evaluation;
using Spectre.Console;

namespace MLNet.Adam.Compare.Tests;

/// <summary>A temporary folder per test, deleted afterwards, plus helpers that write small data files into it.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "mlnet-adam-compare-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string name, string content)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, content, Encoding.UTF8);
        return path;
    }

    /// <summary>A CSV with a numeric, a categorical, a text and a constant column and a binary label that depends on them.</summary>
    public string WriteMixedCsv(string name, int rows, int seed = 3)
    {
        var random = new Random(seed);
        string[] colors = ["red", "green", "blue"];
        string[] words = ["great", "fine", "poor", "awful", "excellent", "bad", "good", "okay", "terrible", "superb"];
        var text = new StringBuilder("age,color,comment,constant,label\n");
        for (int i = 0; i < rows; i++)
        {
            double age = 20 + (random.NextDouble() * 50);
            var color = colors[random.Next(colors.Length)];
            var comment = $"{words[random.Next(words.Length)]} product number {i}";
            bool positive = (age / 70) + (color == "red" ? 0.4 : 0) + random.NextDouble() * 0.5 > 0.9;
            text.Append(FormattableString.Invariant($"{age:F1},{color},\"{comment}\",7,{(positive ? "yes" : "no")}\n"));
        }

        return Write(name, text.ToString());
    }

    /// <summary>Options as the command line would produce them, writing into this folder.</summary>
    public CompareOptions Options(params string[] args) =>
        CompareCommand.Parse([.. args, "--output", Path.Combine(Root, "out"), "--no-plot"]);

    public static IAnsiConsole QuietConsole(StringWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });

        // Wide enough that no message wraps, so tests can look for whole sentences.
        console.Profile.Width = 1000;
        return console;
    }

    /// <summary>Runs the tool as the command line would, returning the exit code, console output and error output.</summary>
    public static (int ExitCode, string Output, string Errors) Run(CompareOptions options, IReadOnlyList<Trainers.TrainerSpec>? trainers = null)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = CompareApp.Run(options, QuietConsole(output), errors, trainers);
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>Runs the tool on a data file with the given extra arguments (ML.NET's L-BFGS only unless --trainers is given).</summary>
    public (int ExitCode, string Output, string Errors) RunOn(string path, params string[] args) =>
        Run(Options([.. new[] { "--data", path }, .. args, .. args.Contains("--trainers") ? Array.Empty<string>() : ["--trainers", "lbfgs"]]));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine is not worth failing a test for.
        }
    }
}
