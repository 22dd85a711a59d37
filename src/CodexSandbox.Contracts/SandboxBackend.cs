namespace CodexSandbox;

/// <summary>
/// The sandbox a launch plan uses: the one definition of the values of <see cref="LaunchPlan.Backend"/>,
/// <see cref="SandboxResult.Backend"/> and the audit log's <c>backend</c> field. The set is closed: a plan takes no other
/// value. (Audit records keep the string they were written with, so older records stay readable as they are.)
/// </summary>
public static class SandboxBackend
{
    /// <summary>Linux: bubblewrap (user, PID and mount namespaces, a private network namespace unless the network is on) around the launcher (Landlock, seccomp, limits).</summary>
    public const string LinuxBwrap = "linux-bwrap";

    /// <summary>Linux: the launcher alone (Landlock, seccomp, limits), where bubblewrap is missing, blocked or turned off.</summary>
    public const string LinuxLauncher = "linux-launcher";

    /// <summary>
    /// Linux: a run approved to leave the sandbox while <c>deny_read</c> is set: a bubblewrap sandbox that only masks the
    /// denied paths and keeps the files host tools trust read-only; everything else stays writable, the network open.
    /// </summary>
    public const string LinuxEscalated = "linux-escalated";

    /// <summary>macOS: <c>/usr/bin/sandbox-exec</c> with a generated Seatbelt profile.</summary>
    public const string Seatbelt = "seatbelt";

    /// <summary>Windows: a write-restricted token, ACL entries on the roots and protected paths, and a job object.</summary>
    public const string WindowsRestrictedToken = "windows-restricted-token";

    /// <summary>No sandbox: the command is started directly (danger-full-access, or an approved run outside the sandbox with nothing left to deny).</summary>
    public const string None = "none";

    /// <summary>Every value, each spelled once.</summary>
    public static IReadOnlyList<string> All { get; } = [LinuxBwrap, LinuxLauncher, LinuxEscalated, Seatbelt, WindowsRestrictedToken, None];

    public static bool IsKnown(string? name) => name is not null && All.Contains(name, StringComparer.Ordinal);
}
