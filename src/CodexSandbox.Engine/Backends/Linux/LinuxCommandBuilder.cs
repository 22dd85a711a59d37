using System.Globalization;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Network;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>Builds the bwrap and launcher command line for a policy (ARCHITECTURE.md, "Linux enforcement").</summary>
public static class LinuxCommandBuilder
{
    /// <summary>The harmless devices the launcher always grants; everything else in <c>/dev</c> is hidden without namespaces.</summary>
    private const string DeviceNote = "/dev/null, /dev/zero, /dev/full, /dev/random and /dev/urandom";

    /// <summary>True when the run gets the namespace layer (bubblewrap around the launcher).</summary>
    public static bool UsesNamespaces(SandboxPolicy policy, LinuxHost host) =>
        policy.LinuxNamespaces != NamespaceRequirement.Off && host.Bwrap.Works;

    /// <param name="proxy">Allowlist mode: the bound proxy's ports and sockets; null for a plan made without a run.</param>
    /// <param name="runId">Names the per-run private folder of the launcher-only layer (a fresh one when null).</param>
    /// <param name="terminal">An interactive run: stdin is the run's pseudo-terminal, which the launcher makes the
    /// controlling terminal of the command's session (<c>--controlling-terminal</c>).</param>
    public static LaunchPlan Build(SandboxPolicy policy, IReadOnlyList<string> argv, LinuxHost host, ProxyEndpoints? proxy = null, string? runId = null,
        bool terminal = false)
    {
        if (argv.Count == 0) throw new ArgumentException("The command is empty.", nameof(argv));
        if (policy.SandboxMode == SandboxMode.DangerFullAccess) return DirectLaunch.ForDangerFullAccess(TargetPlatform.Linux, argv);
        var added = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (policy.NetworkMode == NetworkMode.Off) added["CODEX_SANDBOX_NETWORK_DISABLED"] = "1";

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
        bool useBwrap = UsesNamespaces(policy, host);
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

        var layout = FolderLayout.For(policy, host.LauncherPath);
        var readSet = LinuxReadSet.For(policy, argv[0]);
        if (!useBwrap && layout.ExposedAlwaysReadOnly.Count > 0)
        {
            // Landlock cannot carve a read-only hole out of a writable root; these must never be writable, so refuse.
            throw new SandboxUnavailableException(
                $"{string.Join(", ", layout.ExposedAlwaysReadOnly)} lie(s) inside a writable root, and without the namespace layer ({WhyNoNamespaces(policy, host)}) the command could change them: " +
                "the module's own files, $CODEX_HOME (config, rules, audit log) and /etc/codex must stay read-only.",
                "Move $CODEX_HOME and the module out of the writable roots (or choose roots that do not contain them), or install bubblewrap (apt-get install bubblewrap) so they can be mounted read-only.");
        }

        var enforced = new List<string>();
        var notEnforced = new List<string>();
        var notes = new List<string>();
        string backend = useBwrap ? SandboxBackend.LinuxBwrap : SandboxBackend.LinuxLauncher;
        added["CODEX_SANDBOX"] = backend;
        if (policy.NetworkMode == NetworkMode.Allowlist)
        {
            proxy ??= new ProxyEndpoints { DirectPorts = policy.AllowedPorts };
            if (proxy is { HttpPort: { } http, SocksPort: { } socks })
            {
                foreach (var (k, v) in ProxyEnvironment.Build(http, socks, policy.AllowLocalBinding)) added[k] = v;
            }
            else
            {
                notes.Add("The allowlist proxy is bound when the run starts, on two free loopback ports: the run's plan adds them to --allow-tcp-connect and points the proxy variables (HTTP_PROXY …) at them.");
            }
        }
        else proxy = null;
        var launcherArgs = LauncherArguments(policy, host, proxy, useBwrap, terminal, enforced, notEnforced);
        if (readSet is not null) ReadLimitArguments(policy, readSet, useBwrap, host, launcherArgs, enforced, notEnforced, notes);
        long? pidsCgroup = host.CallerIsRoot ? policy.Limits.MaxProcesses : null;

        if (!useBwrap)
        {
            var privateFolders = new List<string>();
            LauncherOnlyFolders(policy, layout, readSet, runId, launcherArgs, privateFolders, added, enforced, notEnforced);
            NotEnforcedWithoutNamespaces(policy, host, notEnforced);
            return new LaunchPlan
            {
                Platform = TargetPlatform.Linux, Backend = backend, Program = host.LauncherPath, Arguments = [.. launcherArgs, LauncherOption.EndOfOptions, .. argv],
                EnvironmentChanges = added, Proxy = proxy, Enforced = enforced, NotEnforced = notEnforced, Notes = notes,
                HostActions = new LaunchHostActions { PrivateFolders = privateFolders, PidsCgroupLimit = pidsCgroup },
            };
        }

        var bwrap = readSet is null ? new List<string>(BwrapProbe.BaseArguments) : ReadLimitedBase(policy, readSet, host.LauncherPath, enforced);
        enforced.Add("namespace-user");
        enforced.Add("namespace-pid: host processes are invisible, and nothing the command starts outlives the run");
        enforced.Add("private-dev: the caller's terminal and the host's devices are not reachable");
        if (policy.NetworkMode == NetworkMode.Off)
        {
            bwrap.Add("--unshare-net");
            enforced.Add("namespace-network: only an isolated loopback");
        }
        else if (policy.NetworkMode == NetworkMode.Allowlist)
        {
            bwrap.Add("--unshare-net");
            enforced.Add("namespace-network: a private network namespace; only the proxy is reachable, relayed to the host-side proxy through unix sockets");
        }
        enforced.Add("read-only-mounts: writes outside the roots fail with EROFS, metadata included");

        var remountReadOnly = new List<string>();
        var sockets = UnixSocketMasks.For(policy, UnixSocketMasks.NeedsAllowlist(policy) ? UnixSocketMasks.ReadBoundSockets() : [],
            proxy?.SocketFolder, LinuxNative.IsSocket);
        sockets.AddFolderMasks(bwrap, remountReadOnly);
        HideHostFolders(policy, bwrap, remountReadOnly, enforced);
        if (readSet is not null) BindUnderHidden(policy, readSet, host.LauncherPath, bwrap);
        foreach (var (path, writable) in layout.Mounts)
        {
            // under a read limit a read-only folder is shown again only when the limit lets it be read
            if (!writable && readSet is not null && !readSet.Covers(path, policy)) continue;
            bwrap.AddRange([writable ? "--bind" : "--ro-bind", path, path]);
        }
        if (layout.Pinned.Count > 0) enforced.Add($"pinned-ancestors: {layout.Pinned.Count} folder(s) between the roots and the protected paths cannot be renamed or removed");

        var maskFiles = new List<string>();
        var maskDirectories = new List<string>();
        foreach (var path in layout.Protected)
        {
            if (Directory.Exists(path) || File.Exists(path))
            {
                bwrap.AddRange(["--ro-bind", path, path]);
            }
            else if (Directory.Exists(Path.GetDirectoryName(path)))
            {
                var name = Path.GetFileName(path);
                if (name is ".codex" or ".agents")
                {
                    // A missing .codex/.agents is masked by a read-only empty file, so it cannot be created either.
                    bwrap.AddRange(["--ro-bind", "/dev/null", path]);
                    maskFiles.Add(path);
                }
                else
                {
                    // A missing .git (or $CODEX_HOME …) becomes an empty read-only folder: git passes over an empty .git and
                    // keeps looking upward, as it would without it, but nothing can be created there.
                    bwrap.AddRange(["--tmpfs", path]);
                    remountReadOnly.Add(path);
                    maskDirectories.Add(path);
                }
            }
        }
        if (layout.Protected.Count > 0)
            enforced.Add("protected-paths: .git, .codex and .agents of every root and of the working directory and its ancestors inside roots (a worktree's common dir too) stay read-only; missing ones cannot be created");
        if (policy.AlwaysReadOnly.Count > 0)
            enforced.Add("always-read-only: $CODEX_HOME, /etc/codex, the module folder and the audit log folder cannot be changed");

        var masked = DenyReadExpander.Expand(policy.DenyRead);
        foreach (var path in masked)
        {
            if (Directory.Exists(path)) bwrap.AddRange(["--tmpfs", path, "--remount-ro", path]);
            else bwrap.AddRange(["--ro-bind", "/dev/null", path]);
        }
        if (policy.DenyRead.Count > 0) enforced.Add($"deny-read: {masked.Count} path(s) masked");

        sockets.AddSocketMasks(bwrap, remountReadOnly);
        UnixSocketProtections(policy, sockets, enforced, notes);

        if (policy.NetworkMode == NetworkMode.Allowlist && proxy?.SocketFolder is { } socketFolder)
        {
            // The host-side proxy's unix sockets; a socket needs no write access to be connected to.
            bwrap.AddRange(["--ro-bind", socketFolder, socketFolder]);
        }
        if (readSet is not null)
        {
            // an unreadable working directory still has to exist to be entered: an empty folder stands in for it
            if (!readSet.Covers(policy.WorkingDirectory, policy)) bwrap.AddRange(["--dir", policy.WorkingDirectory]);
            // the empty root that holds the mounts: EROFS, as with --ro-bind / /
            remountReadOnly.Insert(0, "/");
        }
        foreach (var path in remountReadOnly) bwrap.AddRange(["--remount-ro", path]);
        bwrap.AddRange(["--chdir", policy.WorkingDirectory, "--", host.LauncherPath, .. launcherArgs, LauncherOption.EndOfOptions, .. argv]);

        return new LaunchPlan
        {
            Platform = TargetPlatform.Linux, Backend = backend, Program = host.Bwrap.Path!, Arguments = bwrap,
            EnvironmentChanges = added, Proxy = proxy, Enforced = enforced, NotEnforced = notEnforced, Notes = notes,
            HostActions = new LaunchHostActions { MaskFiles = maskFiles, MaskDirectories = maskDirectories, PidsCgroupLimit = pidsCgroup },
        };
    }

    /// <summary>
    /// bwrap under a read limit: the hardened arguments without <c>--ro-bind / /</c>, so the root is an empty tmpfs, then
    /// each readable path outside the hidden host folders, and the launcher itself (it is started inside).
    /// </summary>
    private static List<string> ReadLimitedBase(SandboxPolicy policy, LinuxReadSet readSet, string launcherPath, List<string> enforced)
    {
        var args = new List<string>();
        var rootBind = new[] { "--ro-bind", "/", "/" };
        var base0 = BwrapProbe.BaseArguments;
        for (int i = 0; i < base0.Count; i++)
        {
            if (i + 3 <= base0.Count && base0.Skip(i).Take(3).SequenceEqual(rootBind)) { i += 2; continue; }
            args.Add(base0[i]);
        }
        foreach (var path in Bindable(policy, readSet, launcherPath).Where(p => !UnderHidden(policy, p)))
            args.AddRange(["--ro-bind-try", path, path]);
        enforced.Add("read-limit-mounts: only the readable paths, the writable roots and the launcher are mounted on an empty root; nothing else of the host's filesystem exists inside");
        return args;
    }

    /// <summary>bwrap under a read limit: the readable paths inside a hidden host folder are shown again over its private tmpfs.</summary>
    private static void BindUnderHidden(SandboxPolicy policy, LinuxReadSet readSet, string launcherPath, List<string> bwrap)
    {
        foreach (var path in Bindable(policy, readSet, launcherPath).Where(p => UnderHidden(policy, p)))
            bwrap.AddRange(["--ro-bind-try", path, path]);
    }

    /// <summary>The paths to bind read-only, parents first: a hidden host folder itself is the run's private one (never the
    /// host's), the writable roots are bound by the layout, and a path inside another one comes with it.</summary>
    private static List<string> Bindable(SandboxPolicy policy, LinuxReadSet readSet, string launcherPath)
    {
        var candidates = readSet.All.Append(launcherPath)
            .Where(p => Directory.Exists(p) || File.Exists(p))
            .Where(p => !policy.HiddenPaths.Contains(p, StringComparer.Ordinal))
            .Where(p => !policy.WritableRoots.Any(r => PathUtil.IsUnder(p, r.Path)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return candidates.Where(p => !candidates.Any(q => q != p && PathUtil.IsUnder(p, q)))
            .OrderBy(p => p.Length).ThenBy(p => p, StringComparer.Ordinal).ToList();
    }

    /// <summary>True when <paramref name="path"/> lies strictly inside a host folder the run hides.</summary>
    private static bool UnderHidden(SandboxPolicy policy, string path) =>
        policy.HiddenPaths.Any(h => path != h && PathUtil.IsUnder(path, h));

    /// <summary>
    /// The launcher's read limit: <c>--read-limit</c> and each readable path. With bwrap the paths are the mounts (and the
    /// sandbox's own /proc); without it a path inside a hidden host folder is reopened with <c>--ro</c>, and a hidden
    /// folder itself stays hidden (the private TMPDIR is a writable root).
    /// </summary>
    private static void ReadLimitArguments(SandboxPolicy policy, LinuxReadSet readSet, bool useBwrap, LinuxHost host, List<string> args,
        List<string> enforced, List<string> notEnforced, List<string> notes)
    {
        if (readSet.Program is null)
            notes.Add("Under the read limit the program's file, its loader and the system library folders are readable too; they are found when the run starts.");
        if (host.LandlockAbi == 0)
        {
            // only the namespace layer gets here without Landlock: its mounts are the limit
            notEnforced.Add("read-limit: not applied by Landlock (this kernel has none); only the mounts limit reads");
            return;
        }
        args.Add(LauncherOption.ReadLimit);
        foreach (var path in readSet.All.Distinct(StringComparer.Ordinal))
        {
            if (useBwrap || !policy.HiddenPaths.Any(h => PathUtil.IsUnder(path, h))) args.AddRange([LauncherOption.ReadablePath, path]);
            else if (UnderHidden(policy, path)) args.AddRange([LauncherOption.ReadOnlyPath, path]);
        }
        if (useBwrap) args.AddRange([LauncherOption.ReadablePath, "/proc"]);
        enforced.Add($"read-limit: reading, listing and executing only in {readSet.Describe()}{(useBwrap ? "; and the sandbox's own /proc" : "")} (Landlock); deny entries still win");
        if (!useBwrap)
            notEnforced.Add($"read-limit-lookup: names and metadata outside the readable paths can still be looked up (stat, access) ({WhyNoNamespaces(policy, host)}; Landlock limits opening, listing and executing, not path lookup)");
    }

    /// <summary>What the namespace layer does with a profile's unix_sockets.</summary>
    private static void UnixSocketProtections(SandboxPolicy policy, UnixSocketMasks sockets, List<string> enforced, List<string> notes)
    {
        if (UnixSocketMasks.NeedsAllowlist(policy))
        {
            enforced.Add($"unix-socket-allowlist: only {string.Join(", ", policy.AllowedUnixSockets)} can be connected to; the host's socket folders " +
                $"({string.Join(", ", sockets.Folders)}) are hidden and {sockets.Sockets.Count} other socket(s) the host has bound are masked, so seccomp lets AF_UNIX stream sockets connect");
            notes.Add("A host socket bound after this plan was made, or by a process in another network namespace (a container's), outside the hidden folders, is not masked; list it as \"deny\" in unix_sockets to mask it by name.");
            var missing = policy.AllowedUnixSockets.Where(a => !File.Exists(a) && !Directory.Exists(a)).ToList();
            if (missing.Count > 0) notes.Add($"Allowed unix socket path(s) {string.Join(", ", missing)} do not exist yet; inside a hidden folder they stay unreachable for this run.");
        }
        else if (policy.AllowAllUnixSockets && policy.NetworkMode != NetworkMode.On)
        {
            enforced.Add("unix-socket-all: dangerously_allow_all_unix_sockets = true: seccomp lets AF_UNIX stream sockets connect to every host socket file");
        }
        if (sockets.Denied.Count > 0) enforced.Add($"unix-sockets-denied: {string.Join(", ", sockets.Denied)} masked");
    }

    /// <summary>bwrap: a fresh tmpfs over each hidden host folder; the private /tmp and $TMPDIR are writable as the policy says.</summary>
    private static void HideHostFolders(SandboxPolicy policy, List<string> bwrap, List<string> remountReadOnly, List<string> enforced)
    {
        if (policy.SharedTmp)
        {
            return;
        }
        var hidden = policy.HiddenPaths.Where(Directory.Exists).OrderBy(p => p.Length).ToList();
        foreach (var path in hidden)
        {
            var folder = policy.TempFolders.FirstOrDefault(t => t.Path == path);
            bwrap.AddRange(["--perms", "01777", "--tmpfs", path]);
            if (folder is not { Writable: true }) remountReadOnly.Add(path);
        }
        if (hidden.Count > 0)
        {
            var temps = policy.TempFolders.Where(t => hidden.Contains(t.Path)).Select(t => $"{t.Name} ({(t.Writable ? "writable" : "read-only")})");
            enforced.Add($"private-tmp: {string.Join(", ", temps)} private to this run; the host's {string.Join(", ", hidden)} are hidden, so no endpoint of another process there can be opened or connected to");
        }
    }

    /// <summary>Launcher alone: Landlock hides the host folders (no reads, no opens of their FIFOs), and a per-run folder becomes TMPDIR.</summary>
    private static void LauncherOnlyFolders(SandboxPolicy policy, FolderLayout layout, LinuxReadSet? readSet, string? runId, List<string> args, List<string> privateFolders,
        Dictionary<string, string?> added, List<string> enforced, List<string> notEnforced)
    {
        var deny = new List<string>();
        if (!policy.SharedTmp) deny.AddRange(policy.HiddenPaths.Where(Directory.Exists));
        deny.Add("/dev");
        var denyRead = DenyReadExpander.Expand(policy.DenyRead);
        deny.AddRange(denyRead);
        foreach (var path in deny.Distinct(StringComparer.Ordinal)) args.AddRange([LauncherOption.DeniedPath, path]);
        foreach (var (path, _) in layout.Mounts.Where(m => !m.Writable))
        {
            // under a read limit, shown again only when the limit lets it be read
            if (readSet is null || readSet.Covers(path, policy)) args.AddRange([LauncherOption.ReadOnlyPath, path]);
        }

        enforced.Add($"private-dev: /dev is hidden but {DeviceNote}; the caller's terminal cannot be opened");
        if (denyRead.Count > 0 || policy.DenyRead.Count > 0) enforced.Add($"deny-read: {denyRead.Count} path(s) cannot be read (Landlock)");
        if (policy.SharedTmp) return;

        if (policy.TempFolders.Any(t => t.Writable))
        {
            var folder = Path.Combine(Path.GetTempPath(), "codex-sandbox-" + (runId ?? Guid.NewGuid().ToString("n")[..16]));
            privateFolders.Add(folder);
            args.AddRange([LauncherOption.WritableRoot, folder]);
            added["TMPDIR"] = folder;
            enforced.Add($"private-tmp: TMPDIR is a private, per-run folder ({folder}); files and endpoints in the host's {string.Join(", ", policy.HiddenPaths)} cannot be read or opened (Landlock)");
        }
        else
        {
            enforced.Add($"private-tmp: files and endpoints in the host's {string.Join(", ", policy.HiddenPaths)} cannot be read or opened (Landlock); there is no writable temporary folder");
        }
        notEnforced.Add("private-tmp: without a mount namespace /tmp itself cannot be replaced: programs that write to /tmp directly instead of $TMPDIR fail, and the names of the host's files there can still be listed");
    }

    private static List<string> LauncherArguments(SandboxPolicy policy, LinuxHost host, ProxyEndpoints? proxy, bool useBwrap, bool terminal,
        List<string> enforced, List<string> notEnforced)
    {
        // The launcher reports what it applied on this descriptor (LauncherStatus); the run's result is built from that.
        var args = new List<string> { LauncherOption.StatusFd, LauncherStatus.Descriptor.ToString(CultureInfo.InvariantCulture) };
        var mode = policy.SandboxMode == SandboxMode.WorkspaceWrite ? LauncherSandboxMode.WorkspaceWrite : LauncherSandboxMode.ReadOnly;
        args.AddRange([LauncherOption.Mode, LauncherValue.Spell(mode)]);
        foreach (var root in policy.WritableRoots) args.AddRange([LauncherOption.WritableRoot, root.Path]);
        if (useBwrap)
        {
            // Inside bwrap these paths are the run's own tmpfs folders, not the host's.
            foreach (var temp in policy.TempFolders.Where(t => t.Writable && Directory.Exists(t.Path))) args.AddRange([LauncherOption.WritableRoot, temp.Path]);
        }
        var network = policy.NetworkMode switch { NetworkMode.Off => LauncherNetworkMode.Off, NetworkMode.Allowlist => LauncherNetworkMode.Allowlist, _ => LauncherNetworkMode.On };
        args.AddRange([LauncherOption.Network, LauncherValue.Spell(network)]);
        if (policy.NetworkMode == NetworkMode.Allowlist)
        {
            var directPorts = proxy?.DirectPorts ?? policy.AllowedPorts;
            foreach (var port in directPorts) args.AddRange([LauncherOption.AllowTcpConnect, port.ToString(CultureInfo.InvariantCulture)]);
            // A plan made without a run has no proxy bound yet: it says which ports will be added.
            var unix = UnixSocketMasks.OpensConnect(policy) && (useBwrap || policy.AllowAllUnixSockets)
                ? "no UDP or raw sockets (seccomp); unix sockets only as unix_sockets allows" : "no UDP, raw or unix sockets (seccomp)";
            var ports = proxy is { Bound: true } ? string.Join(", ", directPorts)
                : string.Join(", ", directPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)).Prepend("the proxy's two (chosen when the run starts)"));
            if (useBwrap)
            {
                foreach (var relay in proxy?.Relays ?? []) args.AddRange([LauncherOption.Relay, $"{relay.Port.ToString(CultureInfo.InvariantCulture)}={relay.Socket}"]);
                enforced.Add($"network-allowlist: TCP connects only to 127.0.0.1 ports {ports}, relayed to the host-side proxy{(policy.AllowedPorts.Count > 0 ? " and the allowed_ports" : "")}; the proxy decides by host name; {unix}");
            }
            else
            {
                enforced.Add($"network-allowlist: TCP connects only to ports {ports} (Landlock); the proxy decides by host name; {unix}");
                notEnforced.Add($"network-allowlist: without a private network namespace, any host that listens on port(s) {ports} is reachable past the proxy (Landlock rules are by port, not by address)");
            }
        }
        if (UnixSocketMasks.OpensConnect(policy) && (useBwrap || policy.AllowAllUnixSockets)) args.Add(LauncherOption.AllowUnixConnect);
        if (!useBwrap && UnixSocketMasks.NeedsAllowlist(policy))
        {
            notEnforced.Add($"unix-socket-allowlist: {string.Join(", ", policy.AllowedUnixSockets)} cannot be reached: without the namespace layer ({WhyNoNamespaces(policy, host)}) " +
                "nothing can tell one socket file from another (seccomp cannot read the path, Landlock ABI 7 does not cover connect), so every unix socket connection stays blocked");
        }
        if (!useBwrap && policy.AllowAllUnixSockets)
        {
            notEnforced.Add("unix-sockets: dangerously_allow_all_unix_sockets = true: every host socket file can be connected to");
        }
        else if (policy.NetworkMode == NetworkMode.On && !useBwrap)
        {
            // Nothing else stops connect() to a host socket file (Landlock ABI 7 does not cover it, seccomp cannot read the path).
            args.Add(LauncherOption.NoUnixSockets);
            enforced.Add("unix-sockets: no AF_UNIX sockets can be created (seccomp), so no host socket file can be connected to; socketpair still works");
        }
        var limits = policy.Limits;
        if (limits.CpuSeconds is { } cpu) args.AddRange([LauncherOption.CpuSeconds, cpu.ToString(CultureInfo.InvariantCulture)]);
        if (limits.MemoryMB is { } mem) args.AddRange([LauncherOption.MemoryMb, mem.ToString(CultureInfo.InvariantCulture)]);
        if (limits.MaxProcesses is { } procs) args.AddRange([LauncherOption.MaxProcesses, procs.ToString(CultureInfo.InvariantCulture)]);
        if (limits.FileSizeMB is { } fsize) args.AddRange([LauncherOption.FileSizeMb, fsize.ToString(CultureInfo.InvariantCulture)]);
        if (limits.OpenFiles is { } files) args.AddRange([LauncherOption.OpenFiles, files.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange([LauncherOption.ChangeDirectory, policy.WorkingDirectory]);
        if (!useBwrap)
        {
            args.Add(LauncherOption.Supervise);
            enforced.Add(host.LandlockAbi >= 6
                ? "lifetime: a supervisor outside the sandbox kills everything the command started (setsid and double forks included) when it ends"
                : "lifetime: a supervisor kills everything the command started when it ends");
            if (host.LandlockAbi < 6) notEnforced.Add($"lifetime: without Landlock ABI 6 (this kernel has {host.LandlockAbi}) the command can signal its supervisor and so outlive the run");
        }

        if (host.LandlockAbi > 0)
        {
            enforced.Add($"landlock-filesystem: writes only in the writable roots (ABI {host.LandlockAbi})");
            if (policy.NetworkMode == NetworkMode.Off)
            {
                if (host.LandlockAbi >= 4) enforced.Add("landlock-network: TCP bind and connect denied");
                else notEnforced.Add($"landlock-network: needs Landlock ABI 4 (this kernel has {host.LandlockAbi}); seccomp still blocks sockets");
            }
            if (host.LandlockAbi >= 6) enforced.Add("landlock-scope: signals and abstract unix sockets cannot reach processes outside");
            else notEnforced.Add($"landlock-scope: needs Landlock ABI 6 (this kernel has {host.LandlockAbi}); host processes may be signalled");
        }
        else
        {
            args.Add(LauncherOption.AllowMissingLandlock);
            notEnforced.Add("landlock: not available in this kernel; the namespace layer's read-only mounts confine writes");
        }
        if (host.Seccomp)
        {
            enforced.Add(policy.NetworkMode != NetworkMode.Off ? "seccomp: no io_uring, ptrace, mount, unshare, setns"
                : args.Contains(LauncherOption.AllowUnixConnect) ? "seccomp: no sockets but AF_UNIX streams, which may connect; no bind/listen/accept, no io_uring, ptrace, mount, unshare, setns"
                : "seccomp: no sockets but AF_UNIX, no connect/bind/listen/accept, no io_uring, ptrace, mount, unshare, setns");
            if (policy.SandboxMode == SandboxMode.ReadOnly) enforced.Add("seccomp-metadata: chmod, chown, utime and xattr calls denied");
        }
        enforced.Add("no-new-privileges");
        enforced.Add("capabilities-dropped");
        if (terminal)
        {
            // The pseudo-terminal arrives as stdin, an inherited descriptor, so it is the same inside bubblewrap's private /dev.
            args.Add(LauncherOption.ControllingTerminal);
            enforced.Add("new-session: the command's own session, whose controlling terminal is the run's private pseudo-terminal (Ctrl+C reaches the command, not the caller); TIOCSTI and TIOCLINUX denied");
        }
        else enforced.Add("new-session: no controlling terminal; TIOCSTI and TIOCLINUX denied");
        enforced.Add("inherited-descriptors: only stdin, stdout and stderr reach the command");
        enforced.Add("resource-limits: core dumps off" + (HasLimits(policy.Limits) ? ", configured rlimits applied" : ""));
        return args;
    }

    private static bool HasLimits(ResourceLimits l) =>
        l.CpuSeconds is not null || l.MemoryMB is not null || l.MaxProcesses is not null || l.FileSizeMB is not null || l.OpenFiles is not null;

    private static string WhyNoNamespaces(SandboxPolicy policy, LinuxHost host) =>
        policy.LinuxNamespaces == NamespaceRequirement.Off ? "[sandbox_linux] namespaces = \"off\"" : $"bubblewrap is not usable: {host.Bwrap.Problem}";

    private static void NotEnforcedWithoutNamespaces(SandboxPolicy policy, LinuxHost host, List<string> notEnforced)
    {
        var why = WhyNoNamespaces(policy, host);
        if (policy.ProtectedPaths.Count > 0)
            notEnforced.Add($"protected-paths: .git, .codex and .agents inside writable roots stay writable, and their folders can be renamed ({why}; Landlock cannot carve a read-only sub-path out of a writable root)");
        if (policy.SandboxMode == SandboxMode.WorkspaceWrite)
            notEnforced.Add($"metadata: chmod, chown, utime and xattr changes outside the writable roots are not blocked ({why}; Landlock does not cover metadata and seccomp cannot see paths)");
        notEnforced.Add($"namespace-pid: host processes are visible ({why}); signals to them are blocked by Landlock scoping where available");
        if (policy.NetworkMode == NetworkMode.Off)
            notEnforced.Add($"namespace-network: no private network namespace ({why}); seccomp and Landlock still cut the network");
    }
}
