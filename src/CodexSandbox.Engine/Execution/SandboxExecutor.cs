using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Backends.MacOS;
using CodexSandbox.Engine.Backends.Windows;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Execution;

/// <summary>Runs one command under its policy: builds the platform launch, starts it, and describes the outcome.</summary>
public static class SandboxExecutor
{
    /// <summary>The launch a request would use on this host, without running it (for -WhatIf and the audit log).</summary>
    public static SandboxLaunch Plan(RunRequest request, SandboxHost host) => Plan(request, host, network: null);

    private static SandboxLaunch Plan(RunRequest request, SandboxHost host, AllowlistNetwork? network)
    {
        foreach (var arg in request.Argv)
        {
            if (arg.Contains('\0')) throw new ArgumentException($"An argument contains a NUL character, which no program can receive: '{arg.Replace("\0", "\\0", StringComparison.Ordinal)}'.");
        }
        if (request.Unsandboxed && request.Policy.SandboxMode != SandboxMode.DangerFullAccess && PlanEscalated(request, host) is { } escalated)
        {
            return escalated;
        }
        var policy = request.Unsandboxed ? Unconfined(request.Policy) : request.Policy;
        int[] proxyPorts = network is null ? [] : [network.Proxy.HttpPort, network.Proxy.SocksPort];
        return host.Platform switch
        {
            TargetPlatform.MacOS => PlanSeatbelt(policy, request.Argv, host, proxyPorts),
            TargetPlatform.Windows => PlanWindows(policy, request.Argv, proxyPorts),
            _ => PlanLinux(policy, request.Argv, host, network),
        };
    }

    /// <summary>
    /// An approved run outside the sandbox still keeps deny_read (credential files included): on Linux a deny-read-only
    /// bubblewrap sandbox, elsewhere a refusal. Null when nothing is denied: the run then has no sandbox, as approved.
    /// </summary>
    private static SandboxLaunch? PlanEscalated(RunRequest request, SandboxHost host)
    {
        var policy = request.Policy;
        if (policy.DenyRead.Count == 0) return null;
        if (host.Platform == TargetPlatform.Linux && host.Linux is not null && OperatingSystem.IsLinux())
        {
            var env = new Dictionary<string, string>(policy.Environment, StringComparer.Ordinal);
            foreach (var (k, v) in request.ExtraEnvironment) env[k] = v;
            var program = ResolveProgram(request.Argv[0], env, policy.WorkingDirectory) ?? throw new ProgramNotFoundException(request.Argv[0]);
            return EscalatedLaunch.Build(policy, request.Argv, host.Linux, program, LinuxNative.IsRoot) is { } launch ? SandboxLaunch.From(launch) : null;
        }
        if (DenyReadExpander.Expand(policy.DenyRead).Count == 0) return null;
        throw new SandboxUnavailableException(
            $"This run was approved to leave the sandbox, but deny_read still keeps {policy.DenyRead.Count} path(s) unreadable, and {host.Platform} has no way here to keep them so outside the sandbox.",
            "Run it inside the sandbox; or, knowingly, empty deny_read and set [sandbox_credentials] deny_read = false.");
    }

    private static SandboxLaunch PlanLinux(SandboxPolicy policy, IReadOnlyList<string> argv, SandboxHost host, AllowlistNetwork? network)
    {
        if (!OperatingSystem.IsLinux() || host.Linux is null)
        {
            throw new SandboxUnavailableException($"The Linux sandbox runs only on Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.",
                "Use Get-SandboxPolicy -TargetPlatform Linux to review the Linux plan from here.");
        }
        return SandboxLaunch.From(LinuxCommandBuilder.Build(policy, argv, host.Linux, network?.Endpoints));
    }

    private static SandboxLaunch PlanSeatbelt(SandboxPolicy policy, IReadOnlyList<string> argv, SandboxHost host, int[] proxyPorts)
    {
        if (policy.SandboxMode == SandboxMode.DangerFullAccess) return SandboxLaunch.From(new SeatbeltPlanner().Plan(policy, argv));
        var plan = new SeatbeltPlanner(new SeatbeltPlannerOptions { ProxyPorts = proxyPorts }).Plan(policy, argv);
        // Never a sandbox-exec found on PATH: the planner names /usr/bin/sandbox-exec, and it must be there.
        if (!File.Exists(host.SandboxExecPath))
        {
            throw new SandboxUnavailableException($"{host.SandboxExecPath} is missing, so the Seatbelt sandbox cannot be started.",
                "sandbox-exec ships with macOS; restore it (or the OS), or run with -SandboxMode DangerFullAccess to go without a sandbox.");
        }
        return SandboxLaunch.From(plan) with { Program = host.SandboxExecPath };
    }

    private static SandboxLaunch PlanWindows(SandboxPolicy policy, IReadOnlyList<string> argv, int[] proxyPorts)
    {
        var (plan, details) = new WindowsPlanner(new WindowsPlannerOptions { ProxyPorts = proxyPorts }).PlanWithDetails(policy, argv);
        return SandboxLaunch.From(plan, details);
    }

    public static SandboxResult Run(RunRequest request, SandboxHost host, Action<OutputLine>? onLine, CancellationToken cancel,
        Action<NetworkDecision>? onNetworkDecision = null)
    {
        var policy = request.Policy;
        AllowlistNetwork? network = null;
        try
        {
            if (policy.NetworkMode == NetworkMode.Allowlist && !request.Unsandboxed && policy.SandboxMode != SandboxMode.DangerFullAccess)
            {
                var preview = Plan(request, host); // refuse (no Landlock ABI 4, no launcher, no sandbox-exec) before anything starts
                // With bubblewrap the sandbox gets a private network namespace, bridged to the proxy through unix sockets.
                bool bridge = preview.Platform == TargetPlatform.Linux && preview.Backend == "linux-bwrap";
                network = AllowlistNetwork.StartAsync(NetworkSettings(policy), bridge, onNetworkDecision).GetAwaiter().GetResult();
            }
            return Run(request, host, onLine, cancel, network);
        }
        finally
        {
            network?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public static NetworkPolicySettings NetworkSettings(SandboxPolicy p) => new()
    {
        Mode = p.NetworkMode,
        AllowedDomains = p.AllowedDomains,
        DeniedDomains = p.DeniedDomains,
        AllowedPorts = p.AllowedPorts,
        AllowLocalBinding = p.AllowLocalBinding,
    };

    private static SandboxResult Run(RunRequest request, SandboxHost host, Action<OutputLine>? onLine, CancellationToken cancel, AllowlistNetwork? network)
    {
        var policy = request.Policy;
        var launch = Plan(request, host, network);
        var windowsSandbox = launch.Platform == TargetPlatform.Windows && launch.Sandboxed;
        // Windows variable names ignore case; a later spelling replaces an earlier one, as Windows itself would.
        var env = new Dictionary<string, string>(launch.Platform == TargetPlatform.Windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (k, v) in policy.Environment) env[k] = v;
        foreach (var (k, v) in request.ExtraEnvironment) env[k] = v;
        // The Windows runner applies its own changes, case-insensitively, when it builds the environment block.
        if (!windowsSandbox)
        {
            foreach (var (k, v) in launch.EnvironmentChanges)
            {
                if (v is null) env.Remove(k);
                else env[k] = v;
            }
        }
        if (network is not null && launch.Platform != TargetPlatform.Windows)
        {
            foreach (var (k, v) in Network.ProxyEnvironment.Build(network.Proxy)) env[k] = v;
        }

        var timeout = request.Timeout ?? (policy.Limits.TimeoutSec is { } s ? TimeSpan.FromSeconds(s) : null);
        ProcessOutcome outcome;
        if (windowsSandbox)
        {
            var leftOut = new List<string>();
            outcome = RunWindows(launch, env, timeout, policy.Limits.OutputMaxBytes, onLine, cancel, leftOut);
            if (leftOut.Count > 0) launch = launch with { NotEnforced = [.. launch.NotEnforced, .. leftOut] };
        }
        else
        {
            (launch, outcome) = RunProcess(request, launch, env, timeout, onLine, cancel);
        }
        if (policy.ReadableRoots is { } readable && policy.SandboxMode != SandboxMode.DangerFullAccess)
        {
            // a permission profile without `:root` read; reported, never claimed
            launch = launch with { NotEnforced = [.. launch.NotEnforced, $"read-limit: the permission profile limits reads to {(readable.Count == 0 ? "nothing" : string.Join(", ", readable))}; no backend enforces a read limit yet, the whole disk stays readable"] };
        }

        bool sandboxed = launch.Sandboxed;
        if (sandboxed && outcome.ExitCode == 127 && outcome.Stderr.Contains("command not found", StringComparison.Ordinal)
            && outcome.Stderr.StartsWith("codex-linux-sandbox:", StringComparison.Ordinal))
        {
            throw new ProgramNotFoundException(request.Argv[0]);
        }
        return new SandboxResult
        {
            Argv = request.Argv,
            CommandLine = request.CommandLine,
            WorkingDirectory = policy.WorkingDirectory,
            ExitCode = outcome.ExitCode,
            Stdout = outcome.Stdout,
            Stderr = outcome.Stderr,
            StdoutBytes = outcome.StdoutBytes,
            StderrBytes = outcome.StderrBytes,
            StdoutTruncated = outcome.StdoutTruncated,
            StderrTruncated = outcome.StderrTruncated,
            StartTime = outcome.StartTime,
            Duration = outcome.Duration,
            TimedOut = outcome.TimedOut,
            SandboxMode = request.Unsandboxed ? SandboxMode.DangerFullAccess : policy.SandboxMode,
            NetworkAccess = request.Unsandboxed || policy.NetworkAccess,
            WritableRoots = policy.WritableRoots.Select(r => r.Path).ToList(),
            Backend = launch.Backend,
            Enforcement = launch.Enforced,
            NotEnforced = launch.NotEnforced,
            Escalated = request.Unsandboxed && policy.SandboxMode != SandboxMode.DangerFullAccess,
            LikelySandboxDenial = DenialHeuristic.IsLikelyDenial(sandboxed, policy.NetworkMode == NetworkMode.Off, outcome.ExitCode, outcome.TimedOut, outcome.Stderr),
        };
    }

    /// <summary>Linux (launcher or bwrap), macOS (sandbox-exec), and any unsandboxed run: one ordinary child process.</summary>
    private static (SandboxLaunch, ProcessOutcome) RunProcess(RunRequest request, SandboxLaunch launch, Dictionary<string, string> env, TimeSpan? timeout,
        Action<OutputLine>? onLine, CancellationToken cancel)
    {
        var policy = request.Policy;
        // The Linux launcher reports a missing program itself; sandbox-exec and a direct start are checked here first.
        var resolved = launch.Platform == TargetPlatform.Linux && launch.Sandboxed ? launch.Program : ResolveProgram(request.Argv[0], env, launch.Platform, policy.WorkingDirectory);
        if (resolved is null) throw new ProgramNotFoundException(request.Argv[0]);
        var program = launch.Sandboxed ? launch.Program : resolved;
        IReadOnlyList<string> arguments = launch.Arguments;

        var createdMasks = launch.MaskFiles.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        var createdMaskDirectories = launch.MaskDirectories.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        var privateFolders = CreatePrivateFolders(launch.PrivateFolders);
        PidsCgroup? cgroup = null;
        if (launch.Platform == TargetPlatform.Linux && launch.Sandboxed && policy.Limits.MaxProcesses is { } maxProcesses && PidsCgroup.NeedsCgroup)
        {
            cgroup = PidsCgroup.TryCreate(maxProcesses, out var problem);
            if (cgroup is null)
            {
                launch = launch with { NotEnforced = [.. launch.NotEnforced, $"process-limit: max_processes = {maxProcesses} is not applied: root is exempt from RLIMIT_NPROC and no pids cgroup could be made ({problem})"] };
            }
            else
            {
                (program, arguments) = cgroup.Wrap(program, arguments);
                launch = launch with { Enforced = [.. launch.Enforced, $"process-limit: at most {maxProcesses} processes (pids cgroup)"] };
            }
        }
        try
        {
            return (launch, ProcessRunner.Run(new ProcessSpec
            {
                Program = program,
                Arguments = arguments,
                WorkingDirectory = policy.WorkingDirectory,
                Environment = env,
                Timeout = timeout,
                OutputMaxBytes = policy.Limits.OutputMaxBytes,
            }, onLine, cancel));
        }
        finally
        {
            RemoveMaskFiles(createdMasks);
            RemoveMaskDirectories(createdMaskDirectories);
            DeletePrivateFolders(privateFolders);
            cgroup?.Dispose();
        }
    }

    private static ProcessOutcome RunWindows(SandboxLaunch launch, Dictionary<string, string> env, TimeSpan? timeout, long outputMaxBytes,
        Action<OutputLine>? onLine, CancellationToken cancel, List<string> leftOut)
    {
        if (!OperatingSystem.IsWindows())
        {
            throw new SandboxUnavailableException("The Windows sandbox (restricted token and job object) can only be started on Windows.",
                "Use Get-SandboxPolicy -TargetPlatform Windows to review the Windows plan from here.");
        }
        return WindowsSandboxRunner.Run(launch.Windows!, env, timeout, outputMaxBytes, onLine, cancel, leftOut);
    }

    private static SandboxPolicy Unconfined(SandboxPolicy p) =>
        p with { SandboxMode = SandboxMode.DangerFullAccess, NetworkMode = NetworkMode.On, WritableRoots = [] };

    /// <summary>PATH lookup in the child's environment, as execvp would do it; a relative path is taken from the child's working directory.</summary>
    public static string? ResolveProgram(string program, IReadOnlyDictionary<string, string> env, string workingDirectory)
    {
        if (program.Contains('/'))
        {
            var full = Path.GetFullPath(program, workingDirectory);
            return File.Exists(full) ? full : null;
        }
        if (!env.TryGetValue("PATH", out var path)) return null;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string? ResolveProgram(string program, IReadOnlyDictionary<string, string> env, TargetPlatform platform, string workingDirectory) =>
        platform == TargetPlatform.Windows ? WindowsProgramResolver.Resolve(program, env, workingDirectory, File.Exists) : ResolveProgram(program, env, workingDirectory);

    /// <summary>Each folder is new (mkdir fails on an existing one, so nobody can prepare it) and the owner's alone.</summary>
    private static List<string> CreatePrivateFolders(IReadOnlyList<string> paths)
    {
        var created = new List<string>();
        try
        {
            foreach (var path in paths)
            {
                if (Directory.Exists(path) || File.Exists(path))
                    throw new SandboxUnavailableException($"The private temporary folder {path} already exists, so it cannot be trusted as the run's own.", "Run the command again (the next run gets a new name).");
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
                else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                created.Add(path);
            }
        }
        catch
        {
            DeletePrivateFolders(created);
            throw;
        }
        return created;
    }

    private static void DeletePrivateFolders(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            // Recursive delete removes links, never what they point to.
            try { Directory.Delete(p, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static void RemoveMaskDirectories(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            try
            {
                var info = new DirectoryInfo(p);
                if (info.Exists && !info.Attributes.HasFlag(FileAttributes.ReparsePoint) && !info.EnumerateFileSystemInfos().Any()) info.Delete();
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static void RemoveMaskFiles(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            try
            {
                var info = new FileInfo(p);
                if (info.Exists && info.Length == 0 && !info.Attributes.HasFlag(FileAttributes.ReparsePoint)) info.Delete();
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
