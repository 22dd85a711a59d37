using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// The protections a run through the launcher reports: the plan's (LinuxCommandBuilder), with each protection of the
/// launcher's own layer kept only when the launcher's status record says it applied it, and otherwise moved to the
/// protections not enforced, with the reason. The plan (-WhatIf, Get-SandboxPolicy) says what is expected; the result
/// says what the launcher reported.
/// </summary>
/// <remarks>bubblewrap's layer (namespaces, mounts, masks, a private /tmp) stays as planned: bwrap sets all of it up
/// before it starts the launcher, and exits non-zero without starting it when it cannot. The pids cgroup is the
/// engine's own, set up before the start.</remarks>
internal static class LauncherEnforcement
{
    /// <summary>The launcher's layer, by the key an entry starts with: null when the status confirms it, else why not.</summary>
    private static readonly Dictionary<string, Func<LauncherStatus, string?>> s_launcherLayer = new(StringComparer.Ordinal)
    {
        ["landlock-filesystem"] = s => s.Landlock ? null : NoLandlock(s),
        ["landlock-network"] = s => s.LandlockNetwork ? null : $"the launcher's Landlock ruleset (ABI {s.LandlockAbi}) does not handle TCP",
        ["landlock-scope"] = s => s.LandlockScope ? null : $"the launcher's Landlock ruleset (ABI {s.LandlockAbi}) has no signal and abstract-socket scoping",
        ["network-allowlist"] = s => s.LandlockNetwork && s.Seccomp && s.SeccompNetwork == LauncherNetworkMode.Allowlist ? null
            : $"the launcher reported no Landlock TCP rules or no {LauncherValue.Spell(LauncherNetworkMode.Allowlist)} seccomp filter",
        ["read-limit"] = s => s.Landlock && s.ReadLimit ? null : s.Landlock ? "the launcher's Landlock ruleset does not limit reads" : NoLandlock(s),
        ["seccomp"] = s => s.Seccomp ? null : "no seccomp filter was installed",
        ["seccomp-metadata"] = s => s.SeccompMetadata ? null : "the seccomp filter does not deny metadata calls",
        ["unix-sockets"] = s => s.NoUnixSockets ? null : "the seccomp filter does not deny AF_UNIX sockets",
        ["no-new-privileges"] = s => s.NoNewPrivileges ? null : "no_new_privs was not set",
        ["capabilities-dropped"] = s => s.Capabilities ? null : "the capability sets were not cleared",
        ["new-session"] = s => s.NewSession ? null : "the launcher kept the caller's session (it already led a process group)",
        ["inherited-descriptors"] = s => s.Descriptors ? null : "the inherited descriptors were not closed",
        ["resource-limits"] = s => s.Limits.ContainsKey(StatusKey.RlimitCore) ? null : "the launcher applied no resource limits",
        ["lifetime"] = s => s.Supervised ? null : "no supervisor was started",
    };

    /// <summary>Without bubblewrap these are Landlock rules (--deny, --rw), not mounts.</summary>
    private static readonly HashSet<string> s_landlockWithoutNamespaces = new(StringComparer.Ordinal) { "private-dev", "private-tmp", "deny-read" };

    /// <summary>The backends whose command line starts the launcher with a status descriptor.</summary>
    public static bool UsesLauncher(string backend) => backend is SandboxBackend.LinuxLauncher or SandboxBackend.LinuxBwrap;

    /// <param name="status">The launcher's status record; null when it wrote none.</param>
    public static (IReadOnlyList<string> Enforced, IReadOnlyList<string> NotEnforced) Apply(string backend,
        IReadOnlyList<string> enforced, IReadOnlyList<string> notEnforced, LauncherStatus? status)
    {
        var kept = new List<string>(enforced.Count);
        var missing = new List<string>(notEnforced);
        foreach (var entry in enforced)
        {
            var key = Key(entry);
            if (Confirmation(backend, key) is not { } confirm)
            {
                kept.Add(entry);
                continue;
            }
            var reason = status is null ? "the launcher wrote no status record"
                : !status.Executed ? $"the launcher did not start the command ({Refusal(status)})"
                : confirm(status);
            if (reason is null) kept.Add(entry);
            else missing.Add($"{key}: planned, but not applied: {reason}");
        }
        return (kept, missing);
    }

    /// <summary>How the status confirms the protection <paramref name="key"/>; null when it is not the launcher's to apply.</summary>
    internal static Func<LauncherStatus, string?>? Confirmation(string backend, string key)
    {
        if (s_launcherLayer.TryGetValue(key, out var confirm)) return confirm;
        if (backend == SandboxBackend.LinuxLauncher && s_landlockWithoutNamespaces.Contains(key)) return s => s.Landlock ? null : NoLandlock(s);
        return null;
    }

    /// <summary>The key of an entry: the text before its first colon (LinuxCommandBuilder writes "key: detail").</summary>
    internal static string Key(string entry)
    {
        int colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? entry : entry[..colon];
    }

    private static string NoLandlock(LauncherStatus s) => $"the launcher applied no Landlock ruleset (it found ABI {s.LandlockAbi})";

    private static string Refusal(LauncherStatus s) =>
        (s.ErrorName ?? "no outcome was recorded") + (string.IsNullOrEmpty(s.Message) ? "" : ": " + s.Message);
}
