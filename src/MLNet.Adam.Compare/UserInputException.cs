namespace MLNet.Adam.Compare;

/// <summary>
/// A problem with the user's input (file, column, option). The tool prints its message without a stack trace and
/// exits with <see cref="ExitCodes.UserError"/>.
/// </summary>
internal sealed class UserInputException(string message) : Exception(message);

/// <summary>Process exit codes, listed in --help and the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command line could not be parsed (unknown option, missing value): System.CommandLine's own code.</summary>
    public const int ParseError = 1;

    /// <summary>Bad input: a file, column, value or option the tool refuses, with a one-line message; nothing was trained.</summary>
    public const int UserError = 2;

    /// <summary>An unexpected error (a bug, or the machine: disk full, out of memory in a library).</summary>
    public const int Failure = 3;

    /// <summary>Every trainer failed: the report says why for each, but there is no result and no model.</summary>
    public const int NoTrainerSucceeded = 4;

    /// <summary>The exit codes as --help shows them.</summary>
    public const string Help =
        "Exit codes: 0 success; 1 the command line could not be parsed; 2 bad input (file, column, value or option; " +
        "one 'error:' line, checked before any training, output folder included); 3 unexpected error; " +
        "4 every trainer failed (report.md and results.json say why; no model is written).";
}
