using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNet.Adam.Tests.Support;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>
/// The <c>fit</c> verb: runs every (data set, trainer) Fit in its own fresh child process (<c>fit-one</c>), in
/// interleaved rounds (each round runs every trainer once per data set, the order rotated by one each round), then
/// prints and optionally writes the table of medians (<see cref="FitReport"/>).
/// </summary>
internal static class FitCommand
{
    public static int Run(FitArguments arguments, IReadOnlyList<string> rawArguments)
    {
        CheckData(arguments.Datasets);
        foreach (var setting in arguments.AdamSettings)
        {
            // Fail before any child runs when a name or value is wrong.
            AdamOptionSetter.Apply(new MLNet.Adam.Trainers.AdamLogisticRegressionBinaryTrainer.Options(), setting);
            AdamOptionSetter.Apply(new MLNet.Adam.Trainers.AdamMaximumEntropyMulticlassTrainer.Options(), setting);
        }

        if (arguments.Datasets.Contains("streamed"))
        {
            FitDatasets.EnsureStreamed(arguments.CacheDirectory, Console.Out);
        }

        var plan = arguments.Datasets
            .Select(d => (Dataset: d, Trainers: arguments.Trainers.Where(t => d != "streamed" || t != "sdca" || arguments.StreamedSdca).ToList()))
            .Where(p => p.Trainers.Count > 0)
            .ToList();
        var header = new FitReport.Header(
            "dotnet run -c Release --project tests/MLNet.Adam.Benchmarks -- fit" + string.Concat(rawArguments.Select(a => " " + Quote(a))),
            DateTime.UtcNow, MachineInfo.Describe(), MachineInfo.Commit(), MachineInfo.LoadAverage(), arguments.Rounds, arguments.AdamSettings);
        Console.WriteLine($"Machine: {header.Machine}; load average before: {header.LoadBefore}");

        var runs = new List<FitRun>();
        for (int round = 1; round <= arguments.Rounds; round++)
        {
            foreach (var (dataset, trainers) in plan)
            {
                for (int i = 0; i < trainers.Count; i++)
                {
                    string trainer = trainers[(i + round - 1) % trainers.Count];
                    var run = RunChild(dataset, trainer, arguments);
                    run.Round = round;
                    runs.Add(run);
                    Console.WriteLine(run.Error is null
                        ? FormattableString.Invariant(
                            $"round {round}: {dataset} / {run.TrainerName}: fit {run.FitSeconds:F3} s, log-loss {run.TestLogLoss:F4}, accuracy {run.Accuracy:F4}, peak {run.PeakWorkingSetBytes / 1048576.0:F0} MiB") +
                            (run.Epochs is int e ? $", {e} epochs ({run.StopReason})" : string.Empty)
                        : $"round {round}: {dataset} / {trainer}: FAILED: {run.Error}");
                }
            }
        }

        header = header with { Finished = DateTime.UtcNow, LoadAfter = MachineInfo.LoadAverage() };
        string markdown = FitReport.Markdown(header, plan.Select(p => p.Dataset).ToList(), arguments.Trainers, runs);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (arguments.Output is { } output)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, markdown);
            string json = Path.ChangeExtension(output, ".json");
            if (string.Equals(Path.GetFullPath(json), Path.GetFullPath(output), StringComparison.Ordinal))
            {
                json = output + ".runs.json";
            }

            File.WriteAllText(json, JsonSerializer.Serialize(new { header, runs }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"Wrote {output} and {json}.");
        }

        return runs.Any(r => r.Error is not null) ? 1 : 0;
    }

    private static void CheckData(IEnumerable<string> datasets)
    {
        foreach (var dataset in datasets)
        {
            string? missing = dataset switch
            {
                "adult" when !RealData.HasAdult => $"{RealData.AdultFileName} is missing: {RealData.SharedDataHint(RealData.AdultFileName)}",
                "labeler" when !RealData.HasLabeler => $"{RealData.LabelerFileName} is missing: {RealData.SharedDataHint(RealData.LabelerFileName)}",
                "fashion-mnist" when !RealData.HasFashionMnist => $"Fashion-MNIST is not installed in {RealData.FashionMnistDirectory}: {RealData.InstallHint}",
                _ => null,
            };
            if (missing is not null)
            {
                throw new ArgumentException($"Data set {dataset}: {missing}.");
            }
        }
    }

    /// <summary>Runs <c>fit-one</c> in a new process of this same program and reads its JSON line.</summary>
    private static FitRun RunChild(string dataset, string trainer, FitArguments arguments)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot locate this program to start a child process.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(FitCommand).Assembly.Location);
        }

        foreach (var argument in new[] { "fit-one", "--dataset", dataset, "--trainer", trainer, "--cache-dir", arguments.CacheDirectory, "--json" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var setting in arguments.AdamSettings)
        {
            start.ArgumentList.Add("--adam");
            start.ArgumentList.Add(setting);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(arguments.TimeoutMinutes)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return Failed(dataset, trainer, $"timed out after {arguments.TimeoutMinutes} minutes");
        }

        string output = stdout.Result, errors = stderr.Result;
        string? json = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || json is null)
        {
            string reason = string.Join(" | ", errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(3));
            return Failed(dataset, trainer, $"exit code {process.ExitCode}: {(reason.Length > 0 ? reason : "no result line")}");
        }

        return JsonSerializer.Deserialize<FitRun>(json, FitOne.Json) ?? Failed(dataset, trainer, "unreadable result line");
    }

    private static FitRun Failed(string dataset, string trainer, string error) =>
        new() { Dataset = dataset, Trainer = trainer, TrainerName = trainer, Error = error };

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_.,=/:".Contains(c)) ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
