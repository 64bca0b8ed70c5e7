namespace Compliance.Cli;

/// <summary>The exit codes of DESIGN section 10, plus one for failures that a retry may cure.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A check failed: tampering found, or a compliance failure where the command was asked to check.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input or usage; the message says what and where.</summary>
    public const int BadInput = 2;

    public const int AccessDenied = 3;

    /// <summary>A dependency (storage, Key Vault) failed after retries; nothing was left half-done and the command can be rerun.</summary>
    public const int DependencyFailed = 4;

    /// <summary>Interrupted (Ctrl-C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}

/// <summary>Bad input or usage found by the CLI itself; exits with <see cref="ExitCodes.BadInput"/>.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
