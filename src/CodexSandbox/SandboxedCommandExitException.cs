namespace CodexSandbox;

/// <summary>
/// A sandboxed command exited non-zero (or timed out) while <c>$PSNativeCommandUseErrorActionPreference</c> is true: the
/// counterpart of PowerShell's own exception for a failing native command, with the exit code to test in a catch block.
/// </summary>
public sealed class SandboxedCommandExitException(string message, int exitCode) : Exception(message)
{
    /// <summary>The command's exit code (124 after a timeout, 128+N when killed by signal N).</summary>
    public int ExitCode { get; } = exitCode;
}
