using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>The machine and software a fit benchmark ran on.</summary>
internal static class MachineInfo
{
    public static string Processor()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg, or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static string TotalMemory()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kib))
            {
                return $"{kib / 1048576.0:F1} GiB";
            }
        }
        catch (IOException)
        {
        }

        return "n/a";
    }

    /// <summary>The repository's commit (and whether the work tree has changes), or "unknown" when git is not available.</summary>
    public static string Commit()
    {
        try
        {
            string directory = Path.GetDirectoryName(typeof(MachineInfo).Assembly.Location) ?? ".";
            string? commit = Git(directory, "rev-parse --short HEAD");
            if (string.IsNullOrEmpty(commit))
            {
                return "unknown";
            }

            bool dirty = !string.IsNullOrEmpty(Git(directory, "status --porcelain --untracked-files=no"));
            return commit + (dirty ? " with uncommitted changes" : string.Empty);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return "unknown";
        }
    }

    private static string? Git(string directory, string arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", $"-C \"{directory}\" {arguments}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start);
        if (process is null)
        {
            return null;
        }

        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : null;
    }

    public static string MicrosoftMlVersion() => Version(typeof(MLContext).Assembly);

    public static string Version(Assembly assembly)
    {
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational is null ? assembly.GetName().Version?.ToString() ?? "?" : informational.Split('+')[0];
    }

    public static string Describe() =>
        $"{Processor()}, {Environment.ProcessorCount} cores, {TotalMemory()}, {RuntimeInformation.OSDescription}; " +
        $"{RuntimeInformation.FrameworkDescription}, Microsoft.ML {MicrosoftMlVersion()}";
}
