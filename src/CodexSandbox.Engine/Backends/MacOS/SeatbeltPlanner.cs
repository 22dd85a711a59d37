namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>
/// The macOS plan: <c>/usr/bin/sandbox-exec -p &lt;profile&gt; -DKEY=path… -- argv</c> with <c>CODEX_SANDBOX=seatbelt</c>.
/// </summary>
public sealed class SeatbeltPlanner : ILaunchPlanner
{
    /// <summary>Always the absolute path: a sandbox-exec found on PATH could be anything.</summary>
    public const string SandboxExec = "/usr/bin/sandbox-exec";

    private readonly SeatbeltPlannerOptions _options;

    public SeatbeltPlanner(SeatbeltPlannerOptions? options = null) => _options = options ?? new SeatbeltPlannerOptions();

    public SeatbeltPlanner(IReadOnlyList<int> proxyPorts) : this(new SeatbeltPlannerOptions { ProxyPorts = proxyPorts }) { }

    public TargetPlatform Platform => TargetPlatform.MacOS;

    /// <summary>
    /// Seatbelt cannot give a command private temporary folders: the writable ones stay the host's own, writable roots as
    /// in Codex (Linux makes them private; see docs/security.md).
    /// </summary>
    private static SandboxPolicy WithTemporaryRoots(SandboxPolicy policy)
    {
        var extra = policy.TempFolders.Where(t => t.Writable && policy.WritableRoots.All(r => r.Path != t.Path))
            .Select(t => new WritableRoot(t.Path, [])).ToList();
        return extra.Count == 0 ? policy : policy with { WritableRoots = [.. policy.WritableRoots, .. extra] };
    }

    public LaunchPlan Plan(SandboxPolicy policy, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (argv.Count == 0) throw new ArgumentException("The command is empty.", nameof(argv));
        if (policy.SandboxMode == SandboxMode.DangerFullAccess) return DirectLaunch.ForDangerFullAccess(TargetPlatform.MacOS, argv);
        policy = WithTemporaryRoots(policy);

        var notes = new List<string>();
        // under a read limit the programs the sandbox starts must be readable to start
        var started = WithLimits(policy.Limits, argv);
        var programs = policy.ReadableRoots is null ? [] : new[] { started[0], argv[0] }.Distinct()
            .Select(p => Execution.SandboxExecutor.ResolveProgram(p, policy.Environment, policy.WorkingDirectory)).OfType<string>().ToList();
        var profile = SeatbeltProfileBuilder.Build(policy, _options.ProxyPorts, Canon, programs);
        var arguments = new List<string> { "-p", profile.Text };
        arguments.AddRange(profile.Parameters.Select(p => $"-D{p.Key}={p.Value}"));
        arguments.Add("--");
        arguments.AddRange(started);

        var env = new Dictionary<string, string?>(StringComparer.Ordinal) { ["CODEX_SANDBOX"] = SandboxBackend.Seatbelt };
        if (policy.NetworkMode == NetworkMode.Off) env["CODEX_SANDBOX_NETWORK_DISABLED"] = "1";
        var proxy = ProxyPlan.For(policy, _options.ProxyPorts, confined: true);
        if (proxy is { HttpPort: { } http, SocksPort: { } socks })
            foreach (var (key, value) in Network.ProxyEnvironment.Build(http, socks, policy.AllowLocalBinding)) env[key] = value;
        else if (proxy is not null)
            notes.Add(ProxyPlan.UnboundNote + ", so its profile allows no connection.");

        var (enforced, notEnforced) = Protections(policy);
        if (policy.DenyRead.Count > 0)
            notes.Add("Later rules win in a Seatbelt profile, so the deny_read rules after the allow rules take effect.");
        return new LaunchPlan
        {
            Platform = TargetPlatform.MacOS,
            Backend = SandboxBackend.Seatbelt,
            Program = _options.SandboxExecPath,
            Arguments = arguments,
            Profile = profile.Text,
            EnvironmentChanges = env,
            Proxy = proxy,
            Enforced = enforced,
            NotEnforced = notEnforced,
            Notes = notes,
        };
    }

    /// <summary>
    /// Seatbelt has no resource limits, so a POSIX sh inside the sandbox lowers them and then becomes the command.
    /// The limits are joined with &amp;&amp;: if one cannot be set, the command does not run (fail closed). The argv
    /// reaches exec as positional parameters, never as shell text.
    /// </summary>
    public static IReadOnlyList<string> WithLimits(ResourceLimits limits, IReadOnlyList<string> argv)
    {
        var steps = new List<string>();
        if (limits.CpuSeconds is { } cpu) steps.Add($"ulimit -t {cpu}");
        if (limits.OpenFiles is { } files) steps.Add($"ulimit -n {files}");
        if (limits.FileSizeMB is { } size) steps.Add($"ulimit -f {(long)size * 2048}"); // 512-byte blocks, as POSIX sh counts them
        if (steps.Count == 0) return argv;
        steps.Add("exec \"$@\"");
        return ["/bin/sh", "-c", string.Join(" && ", steps), "sh", .. argv];
    }

    private string Canon(string path) => _options.ResolveSymlinks ? MacPath.Resolve(path) : MacPath.Canonicalize(path);

    private (List<string> Enforced, List<string> NotEnforced) Protections(SandboxPolicy policy)
    {
        var enforced = new List<string> { "seatbelt: deny by default", "process-scope: signals and process inspection only within this sandbox", "mach-services: only a fixed list of system services" };
        var not = new List<string>();
        if (policy.SandboxMode == SandboxMode.WorkspaceWrite && policy.WritableRoots.Count > 0)
        {
            enforced.Add($"filesystem: writes only in the {policy.WritableRoots.Count} writable root(s)");
            if (policy.ProtectedPaths.Count > 0)
                enforced.Add($"protected-paths: read-only, creation included: {string.Join(", ", policy.ProtectedPaths)}");
        }
        else enforced.Add(policy.NetworkMode == NetworkMode.Off ? "filesystem: no writes outside /dev/null" : "filesystem: no writes outside /dev/null and the user cache folder networking needs");
        if (policy.DenyRead.Count > 0) enforced.Add($"deny-read: {policy.DenyRead.Count} entr{(policy.DenyRead.Count == 1 ? "y" : "ies")} unreadable and undeletable");
        switch (policy.NetworkMode)
        {
            case NetworkMode.Off: enforced.Add("network: off"); break;
            case NetworkMode.Allowlist when _options.ProxyPorts.Count == 0:
                enforced.Add("network: allowlist with no proxy port, so every connection is refused (fail closed)"); break;
            case NetworkMode.Allowlist:
                enforced.Add($"network: only the loopback proxy on port(s) {string.Join(", ", _options.ProxyPorts.Distinct().Order())}; the proxy decides by host name"); break;
            default: not.Add("network: unrestricted, as the policy asks"); break;
        }
        if (policy.AllowAllUnixSockets) not.Add("unix-sockets: dangerously_allow_all_unix_sockets = true: every unix socket can be connected to");
        else if (policy.AllowedUnixSockets.Count > 0 && policy.NetworkMode != NetworkMode.On)
            enforced.Add($"unix-sockets: connects only to the allowed {string.Join(", ", policy.AllowedUnixSockets)}");
        if (policy.DeniedUnixSockets.Count > 0) enforced.Add($"unix-sockets-denied: no connect to {string.Join(", ", policy.DeniedUnixSockets)}");
        var limits = policy.Limits;
        var applied = new List<string>();
        if (limits.CpuSeconds is { } cpu) applied.Add($"CPU {cpu} s");
        if (limits.OpenFiles is { } files) applied.Add($"{files} open files");
        if (limits.FileSizeMB is { } size) applied.Add($"files up to {size} MB");
        if (applied.Count > 0) enforced.Add($"resource-limits: {string.Join(", ", applied)} per process (ulimit inside the sandbox, before the command starts)");
        if (limits.MemoryMB is not null)
            not.Add("resource-limits: memory; macOS does not enforce an address-space limit and Seatbelt has none");
        if (limits.MaxProcesses is not null)
            not.Add("resource-limits: process count; macOS only limits the processes of the whole user, which would also stop the user's other programs");
        if (policy.ReadableRoots is { } readable)
            enforced.Add($"read-limit: reading only in {(readable.Count == 0 ? "nothing of the profile's own" : string.Join(", ", readable))}, the writable roots, the program and the system libraries a program needs to start");
        else not.Add("read: the whole disk stays readable apart from deny_read (as in Codex's full-read mode)");
        not.Add("namespace-pid: other processes exist and are listed, but cannot be signalled or inspected");
        // sandbox-exec is started as a plain child (no process group or container), so nothing ends what it leaves behind.
        not.Add("process-lifetime: a process the command leaves running (in the background, or re-parented by a double fork) outlives the run; Seatbelt has no process container, and a timeout or Ctrl+C ends only the processes still in the command's tree");
        if (policy.TempFolders.Count > 0)
            not.Add("private-tmp: Seatbelt cannot give the command its own /tmp and $TMPDIR: the host's are shared (writable in workspace-write), with the endpoints other processes keep there");
        return (enforced, not);
    }
}
