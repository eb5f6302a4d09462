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
