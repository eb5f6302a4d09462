namespace MLNet.Adam.Compare;

/// <summary>
/// A problem with the user's input (file, column, option). The tool prints its message without a stack trace and
/// exits with <see cref="ExitCodes.UserError"/>.
/// </summary>
internal sealed class UserInputException(string message) : Exception(message);

/// <summary>Process exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int UserError = 2;
    public const int Failure = 3;
}
