using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// The sandbox an approved escalation still gets while <c>deny_read</c> (credential files included) is set: everything
/// else of the host stays reachable and writable, but the denied paths are masked, and the files host tools trust later
/// (<c>$CODEX_HOME</c>, <c>/etc/codex</c>, the module, the hooks and config of the repositories around the working
/// directory, <c>.codex</c> and <c>.agents</c>) stay read-only.
/// </summary>
/// <remarks>
/// bubblewrap in a user and PID namespace with no capabilities: a mask cannot be unmounted, a host process's
/// <c>/proc/PID/root</c> (which would show the unmasked file) is not visible, and bubblewrap sets no_new_privs, so
/// setuid programs such as sudo fail. Landlock alone could only hide whole trees by granting every sibling, at the cost
/// of the escalated run's write access, so without bubblewrap such a run is refused, as Codex refuses it.
/// </remarks>
public static class EscalatedLaunch
{
    private static readonly string[] TrustedGitEntries = ["config", "hooks", "info", "packed-refs"];

    /// <summary>Null when there is nothing to deny (the run goes without any sandbox, as approved).</summary>
    public static LaunchPlan? Build(SandboxPolicy policy, IReadOnlyList<string> argv, LinuxHost host, string resolvedProgram, bool callerIsRoot)
    {
        var denied = DenyReadExpander.Expand(policy.DenyRead);
        if (denied.Count == 0) return null;
        bool bwrap = policy.LinuxNamespaces != NamespaceRequirement.Off && host.Bwrap.Works;
        if (!bwrap)
        {
            var why = policy.LinuxNamespaces == NamespaceRequirement.Off ? "[sandbox_linux] namespaces = \"off\"" : $"bubblewrap is not usable: {host.Bwrap.Problem}";
            throw new SandboxUnavailableException(
                $"This run was approved to leave the sandbox, but deny_read still keeps {denied.Count} path(s) unreadable ({string.Join(", ", denied.Take(3))}{(denied.Count > 3 ? ", …" : "")}), and that needs the namespace layer ({why}).",
                "Install bubblewrap (apt-get install bubblewrap); or run it inside the sandbox; or, knowingly, empty deny_read and set [sandbox_credentials] deny_read = false.");
        }

        var args = new List<string> { "--die-with-parent", "--unshare-user", "--unshare-pid", "--cap-drop", "ALL", "--bind", "/", "/", "--proc", "/proc" };
        // Root owns the raw disks, so a capability-less root could still read a masked file through them: it gets a
        // private /dev. Another user keeps the host's devices.
        if (callerIsRoot) args.AddRange(["--dev", "/dev"]);
        var readOnly = new List<string>();
        foreach (var path in policy.AlwaysReadOnly.Append(Path.GetDirectoryName(host.LauncherPath ?? "") ?? "").Where(p => p.Length > 1))
        {
            if (Directory.Exists(path) || File.Exists(path)) readOnly.Add(path);
        }
        var masks = new List<string>();
        foreach (var dir in RepositoryFolders(policy))
        {
            foreach (var git in GitDirectories(dir))
            {
                readOnly.AddRange(TrustedGitEntries.Select(e => Path.Combine(git, e)).Where(p => Directory.Exists(p) || File.Exists(p)));
            }
            foreach (var name in new[] { ".codex", ".agents" })
            {
                var p = Path.Combine(dir, name);
                if (Directory.Exists(p) || File.Exists(p)) readOnly.Add(p);
                else if (dir == policy.WorkingDirectory) masks.Add(p);
            }
        }
        var ordered = readOnly.Distinct(StringComparer.Ordinal).OrderBy(p => p.Length).ToList();
        ordered = ordered.Where(p => !ordered.Any(q => q != p && PathUtil.IsUnder(p, q))).ToList();
        foreach (var path in ordered) args.AddRange(["--ro-bind", path, path]);
        foreach (var path in masks) args.AddRange(["--ro-bind", "/dev/null", path]);
        foreach (var path in denied)
        {
            if (Directory.Exists(path)) args.AddRange(["--tmpfs", path, "--remount-ro", path]);
            else args.AddRange(["--ro-bind", "/dev/null", path]);
        }
        args.AddRange(["--chdir", policy.WorkingDirectory, "--", resolvedProgram, .. argv.Skip(1)]);

        return new LaunchPlan
        {
            Platform = TargetPlatform.Linux,
            Backend = SandboxBackend.LinuxEscalated,
            Program = host.Bwrap.Path!,
            Arguments = args,
            Enforced =
            [
                $"deny-read: {denied.Count} path(s) masked, for an approved run outside the sandbox",
                "always-read-only: $CODEX_HOME, /etc/codex, the module folder, and the config, hooks, info and packed-refs of the repositories around the working directory, .codex and .agents cannot be changed",
                "namespace-user and namespace-pid: no capabilities, no_new_privs; host processes are invisible",
            ],
            NotEnforced =
            [
                "sandbox: this run was approved to leave the sandbox: it may write anywhere the user may and use the network; only deny_read and the files host tools trust are kept",
                "setuid: bubblewrap sets no_new_privs, so setuid programs (sudo, su, ping on some systems) fail in an escalated run while deny_read is set",
            ],
            HostActions = new LaunchHostActions { MaskFiles = masks, PidsCgroupLimit = callerIsRoot ? policy.Limits.MaxProcesses : null },
        };
    }

    /// <summary>The working directory and its parents up to the project root (git and Codex walk up from it).</summary>
    private static IEnumerable<string> RepositoryFolders(SandboxPolicy policy)
    {
        var stop = policy.ProjectRoot ?? policy.WorkingDirectory;
        for (var dir = policy.WorkingDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            yield return dir;
            if (dir == stop || !PathUtil.IsUnder(dir, stop)) yield break;
        }
    }

    /// <summary>A folder's .git, or for a worktree its gitdir and common dir.</summary>
    private static IEnumerable<string> GitDirectories(string dir)
    {
        var git = Path.Combine(dir, ".git");
        if (Directory.Exists(git)) return [git];
        if (!File.Exists(git)) return [];
        // ProtectedPaths knows how to follow a .git file; reuse its answer for this one folder.
        return Policy.ProtectedPaths.For(dir, dir, [])
            .Where(p => p != git && Directory.Exists(p) && Path.GetFileName(p) is not (".codex" or ".agents"));
    }
}
