using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>Builds the bwrap and launcher command line for a policy (ARCHITECTURE.md, "Linux enforcement").</summary>
public static class LinuxCommandBuilder
{
    /// <param name="directPorts">Allowlist mode: the TCP ports the sandbox may connect to (the proxy's and allowed_ports).</param>
    public static LinuxLaunch Build(SandboxPolicy policy, IReadOnlyList<string> argv, LinuxHost host, IReadOnlyList<int>? directPorts = null)
    {
        if (argv.Count == 0) throw new ArgumentException("The command is empty.", nameof(argv));
        var added = new Dictionary<string, string>(StringComparer.Ordinal);
        if (policy.NetworkMode == NetworkMode.Off) added["CODEX_SANDBOX_NETWORK_DISABLED"] = "1";

        if (policy.SandboxMode == SandboxMode.DangerFullAccess)
        {
            return new LinuxLaunch
            {
                Program = argv[0], Arguments = argv.Skip(1).ToList(), Backend = "none",
                Enforced = [], NotEnforced = ["sandbox: danger-full-access runs the command directly, with no restriction"],
                EnvironmentAdded = added,
            };
        }

        if (policy.NetworkMode == NetworkMode.Allowlist && host.LandlockAbi < 4)
        {
            // Fail closed: without Landlock's TCP connect rules nothing forces traffic through the proxy.
            throw new SandboxUnavailableException(
                $"[sandbox_network] mode = \"allowlist\" needs Landlock ABI 4 (TCP connect rules, Linux 6.7+); this kernel has {(host.LandlockAbi == 0 ? "no Landlock" : $"ABI {host.LandlockAbi}")}.",
                "Use a newer kernel, or mode = \"off\" (no network) or \"on\" (unrestricted).");
        }
        if (host.LauncherPath is null)
        {
            throw new SandboxUnavailableException("The sandbox launcher codex-linux-sandbox is not in the module (bin/linux-x64).",
                "Build and stage the module with ./build.ps1 Build, or set CODEXSANDBOX_LAUNCHER to a built launcher.");
        }
        bool useBwrap = policy.LinuxNamespaces != NamespaceRequirement.Off && host.Bwrap.Works;
        if (policy.LinuxNamespaces == NamespaceRequirement.Required && !host.Bwrap.Works)
        {
            throw new SandboxUnavailableException($"[sandbox_linux] namespaces = \"required\", but bubblewrap is not usable: {host.Bwrap.Problem}",
                "Install bubblewrap (apt-get install bubblewrap) and allow unprivileged user namespaces, or set namespaces = \"auto\".");
        }
        if (host.LandlockAbi == 0 && !useBwrap)
        {
            throw new SandboxUnavailableException(
                "Neither Landlock (kernel 5.13+, enabled in the LSM list) nor a working bubblewrap is available, so no filesystem sandbox can be built.",
                "Boot a kernel with Landlock enabled (lsm=landlock,…), or install bubblewrap with user namespaces allowed; or run with -SandboxMode DangerFullAccess knowingly.");
        }

        var enforced = new List<string>();
        var notEnforced = new List<string>();
        var launcherArgs = LauncherArguments(policy, host, directPorts ?? policy.AllowedPorts, enforced, notEnforced);
        string backend = useBwrap ? "linux-bwrap" : "linux-launcher";
        added["CODEX_SANDBOX"] = backend;

        if (!useBwrap)
        {
            NotEnforcedWithoutNamespaces(policy, host, notEnforced);
            return new LinuxLaunch
            {
                Program = host.LauncherPath, Arguments = [.. launcherArgs, "--", .. argv], Backend = backend,
                Enforced = enforced, NotEnforced = notEnforced, EnvironmentAdded = added,
            };
        }

        var maskFiles = new List<string>();
        var bwrap = new List<string>(BwrapProbe.BaseArguments);
        enforced.Add("namespace-user");
        enforced.Add("namespace-pid: host processes are invisible");
        if (policy.NetworkMode == NetworkMode.Off)
        {
            bwrap.Add("--unshare-net");
            enforced.Add("namespace-network: only an isolated loopback");
        }
        else if (policy.NetworkMode == NetworkMode.Allowlist)
        {
            // The proxy listens on the host's loopback; a private namespace would need a relay process in it.
            // Landlock's connect rules confine the shared namespace to the proxy's ports instead.
            notEnforced.Add("namespace-network: allowlist mode shares the host's network namespace; Landlock limits TCP connects to the proxy and allowed_ports");
        }
        enforced.Add("read-only-mounts: writes outside the roots fail with EROFS, metadata included");
        foreach (var root in policy.WritableRoots.OrderBy(r => r.Path.Length))
        {
            bwrap.AddRange(["--bind", root.Path, root.Path]);
        }
        bool anyProtected = false;
        foreach (var root in policy.WritableRoots)
        {
            foreach (var sub in root.ReadOnlySubpaths)
            {
                anyProtected = true;
                if (Directory.Exists(sub) || File.Exists(sub))
                {
                    bwrap.AddRange(["--ro-bind", sub, sub]);
                }
                else if (Directory.Exists(Path.GetDirectoryName(sub)))
                {
                    // A missing .codex/.agents is masked by a read-only empty file, so it cannot be created either.
                    bwrap.AddRange(["--ro-bind", "/dev/null", sub]);
                    maskFiles.Add(sub);
                }
            }
        }
        if (anyProtected) enforced.Add("protected-paths: .git, .codex and .agents stay read-only inside writable roots");
        var masked = DenyReadExpander.Expand(policy.DenyRead);
        foreach (var path in masked)
        {
            if (Directory.Exists(path)) bwrap.AddRange(["--tmpfs", path, "--remount-ro", path]);
            else bwrap.AddRange(["--ro-bind", "/dev/null", path]);
        }
        if (policy.DenyRead.Count > 0) enforced.Add($"deny-read: {masked.Count} path(s) masked");
        bwrap.AddRange(["--chdir", policy.WorkingDirectory, "--", host.LauncherPath, .. launcherArgs, "--", .. argv]);

        return new LinuxLaunch
        {
            Program = host.Bwrap.Path!, Arguments = bwrap, Backend = backend,
            Enforced = enforced, NotEnforced = notEnforced, MaskFiles = maskFiles, EnvironmentAdded = added,
        };
    }

    private static List<string> LauncherArguments(SandboxPolicy policy, LinuxHost host, IReadOnlyList<int> directPorts, List<string> enforced, List<string> notEnforced)
    {
        var args = new List<string> { "--mode", policy.SandboxMode == SandboxMode.WorkspaceWrite ? "workspace-write" : "read-only" };
        foreach (var root in policy.WritableRoots) args.AddRange(["--rw", root.Path]);
        args.AddRange(["--network", policy.NetworkMode switch { NetworkMode.Off => "off", NetworkMode.Allowlist => "proxy", _ => "on" }]);
        if (policy.NetworkMode == NetworkMode.Allowlist)
        {
            foreach (var port in directPorts) args.AddRange(["--allow-tcp-connect", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            enforced.Add($"network-allowlist: TCP connects only to ports {string.Join(", ", directPorts)} (Landlock); the proxy decides by host name; no UDP, raw or unix sockets (seccomp)");
        }
        var limits = policy.Limits;
        if (limits.CpuSeconds is { } cpu) args.AddRange(["--cpu-seconds", cpu.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (limits.MemoryMB is { } mem) args.AddRange(["--memory-mb", mem.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (limits.MaxProcesses is { } procs) args.AddRange(["--max-processes", procs.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (limits.FileSizeMB is { } fsize) args.AddRange(["--file-size-mb", fsize.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (limits.OpenFiles is { } files) args.AddRange(["--open-files", files.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        args.AddRange(["--chdir", policy.WorkingDirectory]);

        if (host.LandlockAbi > 0)
        {
            enforced.Add($"landlock-filesystem: writes only in the writable roots (ABI {host.LandlockAbi})");
            if (policy.NetworkMode == NetworkMode.Off)
            {
                if (host.LandlockAbi >= 4) enforced.Add("landlock-network: TCP bind and connect denied");
                else notEnforced.Add($"landlock-network: needs Landlock ABI 4 (this kernel has {host.LandlockAbi}); seccomp still blocks sockets");
            }
            if (host.LandlockAbi >= 6) enforced.Add(policy.NetworkMode == NetworkMode.On
                ? "landlock-scope: signals cannot reach processes outside"
                : "landlock-scope: signals and abstract unix sockets cannot reach processes outside");
            else notEnforced.Add($"landlock-scope: needs Landlock ABI 6 (this kernel has {host.LandlockAbi}); host processes may be signalled");
        }
        else
        {
            args.Add("--allow-missing-landlock");
            notEnforced.Add("landlock: not available in this kernel; the namespace layer's read-only mounts confine writes");
        }
        if (host.Seccomp)
        {
            enforced.Add(policy.NetworkMode == NetworkMode.Off
                ? "seccomp: no sockets but AF_UNIX, no connect/bind/listen/accept, no io_uring, ptrace, mount, unshare, setns"
                : "seccomp: no io_uring, ptrace, mount, unshare, setns");
            if (policy.SandboxMode == SandboxMode.ReadOnly) enforced.Add("seccomp-metadata: chmod, chown, utime and xattr calls denied");
        }
        enforced.Add("no-new-privileges");
        enforced.Add("capabilities-dropped");
        enforced.Add("new-session: no terminal injection");
        enforced.Add("resource-limits: core dumps off" + (HasLimits(policy.Limits) ? ", configured rlimits applied" : ""));
        return args;
    }

    private static bool HasLimits(ResourceLimits l) =>
        l.CpuSeconds is not null || l.MemoryMB is not null || l.MaxProcesses is not null || l.FileSizeMB is not null || l.OpenFiles is not null;

    private static void NotEnforcedWithoutNamespaces(SandboxPolicy policy, LinuxHost host, List<string> notEnforced)
    {
        var why = policy.LinuxNamespaces == NamespaceRequirement.Off ? "[sandbox_linux] namespaces = \"off\"" : $"bubblewrap is not usable: {host.Bwrap.Problem}";
        if (policy.ProtectedPaths.Count > 0)
            notEnforced.Add($"protected-paths: .git, .codex and .agents inside writable roots stay writable ({why}; Landlock cannot carve a read-only sub-path out of a writable root)");
        if (policy.DenyRead.Count > 0)
            notEnforced.Add($"deny-read: the paths stay readable ({why})");
        if (policy.SandboxMode == SandboxMode.WorkspaceWrite)
            notEnforced.Add($"metadata: chmod, chown, utime and xattr changes outside the writable roots are not blocked ({why}; Landlock does not cover metadata and seccomp cannot see paths)");
        notEnforced.Add($"namespace-pid: host processes are visible ({why}); signals to them are blocked by Landlock scoping where available");
        if (policy.NetworkMode == NetworkMode.Off)
            notEnforced.Add($"namespace-network: no private network namespace ({why}); seccomp and Landlock still cut the network");
    }
}
