using System.Globalization;
using Xunit.Abstractions;

namespace MLNet.Adam.Tests.Training;

/// <summary>Test metrics of one trainer on one data set (micro accuracy for multiclass; macro accuracy where it applies).</summary>
public sealed record ParityScore(double Accuracy, double LogLoss, double? MacroAccuracy = null)
{
    /// <summary>"accuracy / log-loss", with the macro accuracy in parentheses; a NaN log-loss (non-finite scores) shows as "diverged".</summary>
    public string Format()
    {
        string logLoss = double.IsNaN(LogLoss) ? "diverged" : LogLoss.ToString("F4", CultureInfo.InvariantCulture);
        return MacroAccuracy is double macro
            ? string.Create(CultureInfo.InvariantCulture, $"{Accuracy:F4} (macro {macro:F4}) / {logLoss}")
            : string.Create(CultureInfo.InvariantCulture, $"{Accuracy:F4} / {logLoss}");
    }
}

/// <summary>
/// The defaults gate of issue 12: with default options on every side, Adam's test (or cross-validated) log-loss is at
/// most min(SDCA, L-BFGS) + 0.01 and its accuracy at least max(SDCA, L-BFGS) - 0.01 (one point). A peer whose
/// log-loss is not finite (it diverged) does not set the log-loss bound; its accuracy still counts.
/// Each check writes one markdown row of the README's parity table through the test output, and appends it to the
/// file named by the environment variable <see cref="OutputVariable"/> when that is set (the header first when the
/// file is new), so the table can be regenerated with
/// <c>MLNET_ADAM_PARITY_OUT=parity.md dotnet test tests/MLNet.Adam.Tests --filter "FullyQualifiedName~ParityTests"</c>.
/// </summary>
public static class ParityGate
{
    public const double LogLossMargin = 0.01;
    public const double AccuracyMargin = 0.01;
    public const string OutputVariable = "MLNET_ADAM_PARITY_OUT";
    public const string TableHeader =
        "| data | SdcaLogisticRegression / SdcaMaximumEntropy: accuracy / log-loss | LbfgsLogisticRegression / LbfgsMaximumEntropy: accuracy / log-loss | Adam (ours): accuracy / log-loss | gate |\n" +
        "|---|---|---|---|---|";

    private static readonly object FileLock = new();

    public static void Check(ITestOutputHelper output, string data, ParityScore sdca, ParityScore lbfgs, ParityScore adam)
    {
        var finitePeers = new[] { sdca.LogLoss, lbfgs.LogLoss }.Where(double.IsFinite).ToArray();
        double logLossBound = finitePeers.Length > 0 ? finitePeers.Min() + LogLossMargin : double.PositiveInfinity;
        double accuracyBound = Math.Max(sdca.Accuracy, lbfgs.Accuracy) - AccuracyMargin;
        bool logLossOk = double.IsFinite(adam.LogLoss) && adam.LogLoss <= logLossBound;
        bool accuracyOk = adam.Accuracy >= accuracyBound;
        string verdict = (logLossOk, accuracyOk) switch
        {
            (true, true) => "pass",
            (false, true) => "FAIL: log-loss",
            (true, false) => "FAIL: accuracy",
            _ => "FAIL: log-loss and accuracy",
        };
        string row = $"| {data} | {sdca.Format()} | {lbfgs.Format()} | {adam.Format()} | {verdict} |";
        output.WriteLine(TableHeader);
        output.WriteLine(row);
        Append(row);

        var failures = new List<string>();
        if (!logLossOk)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"log-loss {adam.LogLoss:F4} is above min(SDCA {sdca.LogLoss:F4}, L-BFGS {lbfgs.LogLoss:F4}) + {LogLossMargin} = {logLossBound:F4}"));
        }

        if (!accuracyOk)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"accuracy {adam.Accuracy:F4} is below max(SDCA {sdca.Accuracy:F4}, L-BFGS {lbfgs.Accuracy:F4}) - {AccuracyMargin} = {accuracyBound:F4}"));
        }

        Assert.True(failures.Count == 0, $"{data}: Adam's {string.Join("; ", failures)}.");
    }

    private static void Append(string row)
    {
        string? path = Environment.GetEnvironmentVariable(OutputVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        lock (FileLock)
        {
            bool isNew = !File.Exists(path) || new FileInfo(path).Length == 0;
            File.AppendAllText(path, (isNew ? TableHeader + "\n" : string.Empty) + row + "\n");
        }
    }
}
