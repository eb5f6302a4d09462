using System.Diagnostics;

namespace MLNet.Adam.Tests.ModelFiles;

/// <summary>
/// Runs tests/MLNet.Adam.LoadCheck (a program referencing only Microsoft.ML) out of process. Its build output is
/// found next to this test assembly's, under the same configuration and target framework; the test project
/// references it (without its assembly) so that building the tests builds it too. If it is missing anyway,
/// it is built once.
/// </summary>
internal static class LoadCheckRunner
{
    private const string ProjectName = "MLNet.Adam.LoadCheck";
    private static readonly Lazy<string> Program = new(LocateOrBuild, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs LoadCheck with the given arguments and returns its standard output; fails the test on a non-zero exit.</summary>
    public static string Run(params string[] arguments)
    {
        var (exitCode, output, error) = Execute(DotnetHost(), [Program.Value, .. arguments]);
        Assert.True(exitCode == 0, $"LoadCheck exited with {exitCode}.\n{output}\n{error}");
        return output;
    }

    private static string LocateOrBuild()
    {
        // <tests>/MLNet.Adam.Tests/bin/<Configuration>/<TargetFramework>/
        var frameworkDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configurationDir = frameworkDir.Parent!;
        var testsDir = configurationDir.Parent!.Parent!.Parent!;
        string projectDir = Path.Combine(testsDir.FullName, ProjectName);
        string dll = Path.Combine(projectDir, "bin", configurationDir.Name, frameworkDir.Name, ProjectName + ".dll");
        if (File.Exists(dll))
            return dll;

        Assert.True(Directory.Exists(projectDir), $"Cannot find the LoadCheck project at '{projectDir}'.");
        var (exitCode, output, error) = Execute(DotnetHost(),
            ["build", Path.Combine(projectDir, ProjectName + ".csproj"), "-c", configurationDir.Name, "-nologo"]);
        Assert.True(exitCode == 0 && File.Exists(dll), $"Building LoadCheck failed ({exitCode}); expected '{dll}'.\n{output}\n{error}");
        return dll;
    }

    private static string DotnetHost()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static (int ExitCode, string Output, string Error) Execute(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{fileName}' did not finish within 5 minutes.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
