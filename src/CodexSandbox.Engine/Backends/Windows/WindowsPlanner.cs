namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// The Windows plan: a restricted token with a per-workspace capability SID, ACL entries on the writable roots
/// and protected paths, a job object with the limits, and the offline environment. Pure except for listing
/// the writable roots to find protected names (replaceable through <see cref="WindowsPlannerOptions.ListFolder"/>).
/// </summary>
public sealed class WindowsPlanner : ILaunchPlanner
{
    private readonly WindowsPlannerOptions _options;

    public WindowsPlanner(WindowsPlannerOptions? options = null) => _options = options ?? new WindowsPlannerOptions();

    public WindowsPlanner(IReadOnlyList<int> proxyPorts) : this(new WindowsPlannerOptions { ProxyPorts = proxyPorts }) { }

    public TargetPlatform Platform => TargetPlatform.Windows;

    /// <summary>The plan, with what the runner carries out under <see cref="LaunchHostActions.Windows"/>; the folders are listed once.</summary>
    public LaunchPlan Plan(SandboxPolicy policy, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (argv.Count == 0) throw new ArgumentException("The command is empty.", nameof(argv));
        if (policy.SandboxMode == SandboxMode.DangerFullAccess) return DirectLaunch.ForDangerFullAccess(TargetPlatform.Windows, argv);
        var (details, acl) = Details(policy, argv);
        var missing = acl.MissingProtectedPaths;
        var enforced = new List<string>();
        var not = new List<string>();
        var workspaceWrite = policy.SandboxMode == SandboxMode.WorkspaceWrite;
        var roots = workspaceWrite ? policy.WritableRoots.Count : 0;
        enforced.Add(roots > 0
            ? $"filesystem: writes only in the {roots} writable root(s) and where Everyone or the logon session may already write (write-restricted token)"
            : "filesystem: writes only where Everyone or the logon session may already write (write-restricted token)");
        var denies = acl.Entries.Count(a => a.Access == WindowsAccess.DenyWrite);
        if (denies > 0) enforced.Add($"protected-paths: {denies} deny entr{(denies == 1 ? "y" : "ies")}, every spelling of .git/.codex/.agents");
        enforced.Add("privileges: all dropped but SeChangeNotifyPrivilege (LUA token)");
        enforced.Add("job-object: " + details.Job.ToString()["Job object: ".Length..]);
        if (missing.Count > 0)
            not.Add($"protected-paths: creating these missing ones is not blocked (a deny entry needs an existing object): {string.Join(", ", missing)}");
        not.Add("filesystem: writes where Everyone or the logon SID already has write access are not blocked (a restricted token cannot take away existing grants)");
        if (policy.DenyRead.Count > 0) not.Add($"deny-read: {policy.DenyRead.Count} entries stay readable; a write-restricted token does not limit reading");
        not.Add(policy.ReadableRoots is { } readable
            ? $"read-limit: the permission profile limits reads to {(readable.Count == 0 ? "nothing" : string.Join(", ", readable))}, but a write-restricted token cannot limit reading: the whole disk stays readable"
            : "read: the whole disk stays readable");
        switch (policy.NetworkMode)
        {
            case NetworkMode.Off:
                not.Add("network: off is only asked for through environment variables (dead proxy, offline flags, ssh/scp stubs); there is no firewall rule");
                break;
            case NetworkMode.Allowlist when _options.ProxyPorts.Count > 0:
                not.Add("network: allowlist; the proxy variables point at the allowlist proxy, but a program that ignores them connects directly");
                break;
            case NetworkMode.Allowlist:
                not.Add("network: allowlist without a proxy port, emulated offline through environment variables only");
                break;
            default:
                not.Add("network: unrestricted, as the policy asks");
                break;
        }
        if (policy.AllowedUnixSockets.Count > 0 || policy.DeniedUnixSockets.Count > 0 || policy.AllowAllUnixSockets)
            not.Add("unix-sockets: the permission profile's unix_sockets rules are not enforced; a restricted token does not tell one AF_UNIX socket file from another");
        if (policy.Limits.FileSizeMB is not null) not.Add("resource-limits: file size; Windows has no per-process file size limit");
        if (policy.Limits.OpenFiles is not null) not.Add("resource-limits: open files; Windows has no per-process handle limit");
        var notes = new List<string>
        {
            $"Command line: {details.CommandLine}",
            details.Token.ToString(),
            workspaceWrite
                ? $"Capability SID {details.Token.CapabilitySid} = SHA-256 of the workspace key '{WindowsPath.CanonicalKey(Workspace(policy))}' and its {roots} writable root(s); another root set gets another SID"
                : $"Capability SID {details.Token.CapabilitySid} = the read-only SID of '{WindowsPath.CanonicalKey(Workspace(policy))}', never granted anything, so grants left by workspace-write runs do not apply",
            "Protected names are found by listing each parent folder and comparing names ignoring case, so every existing spelling gets a deny entry.",
            "The ACL entries stay after the run, so the next run in the same workspace reuses them.",
        };
        if (acl.UnlistedFolders.Count > 0)
            notes.Add($"These folders could not be listed on this machine, so protected names in them were not checked: {string.Join(", ", acl.UnlistedFolders)}. Make the plan on the Windows machine for the real list.");
        var proxy = ProxyPlan.For(policy, _options.ProxyPorts, confined: false);
        if (proxy is { Bound: false }) notes.Add(ProxyPlan.UnboundNote + ", so its environment asks tools to stay offline.");
        return new LaunchPlan
        {
            Platform = TargetPlatform.Windows,
            Backend = SandboxBackend.WindowsRestrictedToken,
            Program = argv[0],
            Arguments = argv.Skip(1).ToList(),
            AclPlan = acl.Entries,
            EnvironmentChanges = WindowsSandboxEnvironment.Changes(policy, _options.ProxyPorts, DenyBin(policy)),
            Proxy = proxy,
            HostActions = new LaunchHostActions { Windows = details },
            Enforced = enforced,
            NotEnforced = not,
            Notes = notes,
        };
    }

    /// <summary>What <see cref="WindowsSandboxRunner"/> sets up besides the plan's ACL entries, and those entries with the protected paths that do not exist.</summary>
    public (WindowsLaunchDetails Details, AclPlanResult Acl) Details(SandboxPolicy policy, IReadOnlyList<string> argv)
    {
        if (policy.SandboxMode == SandboxMode.DangerFullAccess)
            throw new ArgumentException("DangerFullAccess is not supported for sandboxing; run the command directly.", nameof(policy));
        var workspace = Workspace(policy);
        var sid = policy.SandboxMode == SandboxMode.WorkspaceWrite
            ? WindowsCapabilitySid.ForWorkspace(workspace, policy.WritableRoots.Select(r => r.Path))
            : WindowsCapabilitySid.ForReadOnly(workspace);
        var acl = WindowsAclPlanner.Plan(policy, sid, _options.ListFolder);
        var offline = policy.NetworkMode == NetworkMode.Off || (policy.NetworkMode == NetworkMode.Allowlist && _options.ProxyPorts.Count == 0);
        var details = new WindowsLaunchDetails
        {
            CommandLine = WindowsCommandLine.Build(argv),
            WorkingDirectory = string.IsNullOrEmpty(policy.WorkingDirectory) ? workspace : policy.WorkingDirectory,
            Token = new RestrictedTokenPlan(sid),
            Job = JobObjectPlan.FromLimits(policy.Limits),
            DenyBinDirectory = offline ? DenyBin(policy) : null,
        };
        return (details, acl);
    }

    // The ssh/scp stubs' folder: <CodexHome>\.sbx-denybin, or <workspace>\.sbx-denybin without a Codex home.
    private string DenyBin(SandboxPolicy policy) =>
        _options.DenyBinDirectory ?? WindowsPath.Join(string.IsNullOrEmpty(policy.CodexHome) ? Workspace(policy) : policy.CodexHome, ".sbx-denybin");

    // The workspace is the working directory; without one, the first writable root.
    private static string Workspace(SandboxPolicy policy) =>
        !string.IsNullOrEmpty(policy.WorkingDirectory) ? policy.WorkingDirectory
        : policy.WritableRoots.Count > 0 ? policy.WritableRoots[0].Path
        : throw new ArgumentException("The policy has no working directory.", nameof(policy));
}
