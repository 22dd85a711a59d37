namespace CodexSandbox.Engine.Execution;

/// <summary>
/// Decides whether a failed sandboxed run was probably blocked by the sandbox. Stricter than Codex's keyword search:
/// only errno texts that the sandbox itself causes, only on stderr, never for 126/127, never for a clean exit,
/// and never just because a path or message contains the word "sandbox".
/// </summary>
public static class DenialHeuristic
{
    private static readonly string[] FileSystemErrors = [": Operation not permitted", ": Permission denied", ": Read-only file system", "Operation not permitted", "Read-only file system",
        // Windows: cmd.exe and Win32 tools, then .NET and PowerShell.
        "Access is denied", "Access to the path"];
    private static readonly string[] NetworkErrors =
        ["Network is unreachable", "Could not resolve host", "Temporary failure in name resolution", "Name or service not known", "Address family not supported", "socket: Operation not permitted"];

    public static bool IsLikelyDenial(bool sandboxed, bool networkOff, int exitCode, bool timedOut, string stderr)
    {
        if (!sandboxed || exitCode == 0 || timedOut) return false;
        if (exitCode is 126 or 127) return false;     // not executable / not found: the command's own problem
        if (exitCode == 128 + 31) return true;        // SIGSYS: a seccomp kill
        // The wrapper's own error (launcher, sandbox-exec), reported as such.
        if (stderr.StartsWith("codex-linux-sandbox:", StringComparison.Ordinal) || stderr.StartsWith("sandbox-exec:", StringComparison.Ordinal)) return false;
        foreach (var e in FileSystemErrors) if (stderr.Contains(e, StringComparison.Ordinal)) return true;
        if (networkOff)
        {
            foreach (var e in NetworkErrors) if (stderr.Contains(e, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
