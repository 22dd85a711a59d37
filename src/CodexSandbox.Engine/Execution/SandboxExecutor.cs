using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Backends.MacOS;
using CodexSandbox.Engine.Backends.Windows;
using CodexSandbox.Engine.Network;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// Runs one command under its policy in two steps: <see cref="Plan"/> builds the launch plan once (binding the allowlist
/// proxy first, so the plan names its ports), the caller shows it, and <see cref="Run"/> carries out exactly that plan.
/// </summary>
public static class SandboxExecutor
{
    /// <summary>
    /// Plans one run: refuses what this host cannot do, binds the allowlist proxy in allowlist mode, and builds the launch
    /// plan. Nothing of the command runs. Show <see cref="PlannedRun.Plan"/> (-WhatIf, -Verbose), then pass the result to
    /// <see cref="Run"/>; dispose it either way.
    /// </summary>
    public static PlannedRun Plan(RunRequest request, SandboxHost host)
    {
        foreach (var arg in request.Argv)
        {
            if (arg.Contains('\0')) throw new ArgumentException($"An argument contains a NUL character, which no program can receive: '{arg.Replace("\0", "\\0", StringComparison.Ordinal)}'.");
        }
        var policy = request.Policy;
        if (request.Unsandboxed || policy.SandboxMode == SandboxMode.DangerFullAccess || policy.NetworkMode != NetworkMode.Allowlist)
        {
            return new PlannedRun(request, PlanLaunch(request, host, proxy: null), network: null, decisions: null);
        }
        // With bubblewrap the sandbox gets a private network namespace, bridged to the proxy through unix sockets.
        bool bridge = host.Platform == TargetPlatform.Linux && host.Linux is not null && LinuxCommandBuilder.UsesNamespaces(policy, host.Linux);
        var decisions = new DecisionRelay();
        var network = AllowlistNetwork.StartAsync(NetworkSettings(policy), bridge, decisions.Decided).GetAwaiter().GetResult();
        try
        {
            return new PlannedRun(request, PlanLaunch(request, host, network.Endpoints), network, decisions);
        }
        catch
        {
            network.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private static LaunchPlan PlanLaunch(RunRequest request, SandboxHost host, ProxyEndpoints? proxy)
    {
        var policy = request.Policy;
        if (request.Unsandboxed && policy.SandboxMode != SandboxMode.DangerFullAccess)
        {
            return PlanEscalated(request, host) ?? DirectLaunch.ForEscalation(host.Platform, request.Argv);
        }
        IReadOnlyList<int> proxyPorts = proxy is { HttpPort: { } http, SocksPort: { } socks } ? [http, socks] : [];
        return host.Platform switch
        {
            TargetPlatform.MacOS => PlanSeatbelt(policy, request.Argv, host, proxyPorts),
            TargetPlatform.Windows => new WindowsPlanner(new WindowsPlannerOptions { ProxyPorts = proxyPorts }).Plan(policy, request.Argv),
            _ => PlanLinux(policy, request.Argv, host, proxy, request.Interactive),
        };
    }

    /// <summary>
    /// An approved run outside the sandbox still keeps deny_read (credential files included): on Linux a deny-read-only
    /// bubblewrap sandbox, elsewhere a refusal. Null when nothing is denied: the run then has no sandbox, as approved.
    /// </summary>
    private static LaunchPlan? PlanEscalated(RunRequest request, SandboxHost host)
    {
        var policy = request.Policy;
        if (policy.DenyRead.Count == 0) return null;
        if (host.Platform == TargetPlatform.Linux && host.Linux is not null && OperatingSystem.IsLinux())
        {
            var env = new Dictionary<string, string>(policy.Environment, StringComparer.Ordinal);
            foreach (var (k, v) in request.ExtraEnvironment) env[k] = v;
            var program = ResolveProgram(request.Argv[0], env, policy.WorkingDirectory) ?? throw new ProgramNotFoundException(request.Argv[0]);
            return EscalatedLaunch.Build(policy, request.Argv, host.Linux, program, host.Linux.CallerIsRoot);
        }
        if (DenyReadExpander.Expand(policy.DenyRead).Count == 0) return null;
        throw new SandboxUnavailableException(
            $"This run was approved to leave the sandbox, but deny_read still keeps {policy.DenyRead.Count} path(s) unreadable, and {host.Platform} has no way here to keep them so outside the sandbox.",
            "Run it inside the sandbox; or, knowingly, empty deny_read and set [sandbox_credentials] deny_read = false.");
    }

    private static LaunchPlan PlanLinux(SandboxPolicy policy, IReadOnlyList<string> argv, SandboxHost host, ProxyEndpoints? proxy, bool terminal)
    {
        if (!OperatingSystem.IsLinux() || host.Linux is null)
        {
            throw new SandboxUnavailableException($"The Linux sandbox runs only on Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.",
                "Use Get-SandboxPolicy -TargetPlatform Linux to review the Linux plan from here.");
        }
        return new LinuxPlanner(host.Linux, proxy, terminal).Plan(policy, argv);
    }

    private static LaunchPlan PlanSeatbelt(SandboxPolicy policy, IReadOnlyList<string> argv, SandboxHost host, IReadOnlyList<int> proxyPorts)
    {
        // Never a sandbox-exec found on PATH: the plan names host.SandboxExecPath (/usr/bin/sandbox-exec), and it must be there.
        var plan = new SeatbeltPlanner(new SeatbeltPlannerOptions { ProxyPorts = proxyPorts, SandboxExecPath = host.SandboxExecPath }).Plan(policy, argv);
        if (plan.Sandboxed && !File.Exists(host.SandboxExecPath))
        {
            throw new SandboxUnavailableException($"{host.SandboxExecPath} is missing, so the Seatbelt sandbox cannot be started.",
                "sandbox-exec ships with macOS; restore it (or the OS), or run with -SandboxMode DangerFullAccess to go without a sandbox.");
        }
        return plan;
    }

    public static NetworkPolicySettings NetworkSettings(SandboxPolicy p) => new()
    {
        Mode = p.NetworkMode,
        AllowedDomains = p.AllowedDomains,
        DeniedDomains = p.DeniedDomains,
        AllowedPorts = p.AllowedPorts,
        AllowLocalBinding = p.AllowLocalBinding,
        Limited = p.NetworkLimited,
    };

    /// <summary>
    /// Carries out a planned run, exactly as planned, once; the proxy it bound is released when the run ends. The result
    /// names the plan it ran, with the protections the run itself had to add or leave out on this machine.
    /// </summary>
    public static SandboxResult Run(PlannedRun run, Action<OutputLine>? onLine, CancellationToken cancel, Action<NetworkDecision>? onNetworkDecision = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Start(onNetworkDecision);
        try
        {
            return Carry(run.Request, run.Plan, onLine, cancel);
        }
        finally
        {
            run.Dispose();
        }
    }

    private static SandboxResult Carry(RunRequest request, LaunchPlan plan, Action<OutputLine>? onLine, CancellationToken cancel)
    {
        var policy = request.Policy;
        var windowsSandbox = plan.Platform == TargetPlatform.Windows && plan.Sandboxed;
        // Windows variable names ignore case; a later spelling replaces an earlier one, as Windows itself would.
        var env = new Dictionary<string, string>(plan.Platform == TargetPlatform.Windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (k, v) in policy.Environment) env[k] = v;
        foreach (var (k, v) in request.ExtraEnvironment) env[k] = v;
        // The Windows runner applies the plan's changes itself, case-insensitively, when it builds the environment block.
        if (!windowsSandbox)
        {
            foreach (var (k, v) in plan.EnvironmentChanges)
            {
                if (v is null) env.Remove(k);
                else env[k] = v;
            }
        }

        var timeout = request.Timeout ?? (policy.Limits.TimeoutSec is { } s ? TimeSpan.FromSeconds(s) : null);
        var enforced = plan.Enforced.ToList();
        var notEnforced = plan.NotEnforced.ToList();
        if (request.Interactive && plan.Platform == TargetPlatform.Windows) InteractiveTerminal.EnsureAvailable();
        var outcome = windowsSandbox
            ? RunWindows(plan, env, timeout, policy.Limits.OutputMaxBytes, onLine, cancel, notEnforced)
            : RunProcess(request, plan, env, timeout, onLine, cancel, enforced, notEnforced);
        if (outcome.Status is not null)
        {
            (var applied, var missing) = Reported(plan.Backend, enforced, notEnforced, outcome.Status, request.Argv[0]);
            enforced = [.. applied];
            notEnforced = [.. missing];
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
            Interactive = request.Interactive,
            StderrBytes = outcome.StderrBytes,
            StdoutTruncated = outcome.StdoutTruncated,
            StderrTruncated = outcome.StderrTruncated,
            StartTime = outcome.StartTime,
            Duration = outcome.Duration,
            TimedOut = outcome.TimedOut,
            SandboxMode = request.Unsandboxed ? SandboxMode.DangerFullAccess : policy.SandboxMode,
            NetworkAccess = request.Unsandboxed || policy.NetworkAccess,
            Network = request.Unsandboxed ? NetworkMode.On : policy.NetworkMode,
            WritableRoots = policy.WritableRoots.Select(r => r.Path).ToList(),
            Backend = plan.Backend,
            Enforcement = enforced,
            NotEnforced = notEnforced,
            LaunchPlan = plan,
            Escalated = request.Unsandboxed && policy.SandboxMode != SandboxMode.DangerFullAccess,
            LikelySandboxDenial = DenialHeuristic.IsLikelyDenial(plan.Sandboxed, policy.NetworkMode == NetworkMode.Off, outcome.ExitCode, outcome.TimedOut, outcome.Stderr),
        };
    }

    /// <summary>Linux (launcher or bwrap), macOS (sandbox-exec), and any unsandboxed run: one ordinary child process.</summary>
    private static ProcessOutcome RunProcess(RunRequest request, LaunchPlan plan, Dictionary<string, string> env, TimeSpan? timeout,
        Action<OutputLine>? onLine, CancellationToken cancel, List<string> enforced, List<string> notEnforced)
    {
        var policy = request.Policy;
        // The Linux launcher reports a missing program itself; sandbox-exec and a direct start are checked here first.
        var resolved = plan.Platform == TargetPlatform.Linux && plan.Sandboxed ? plan.Program : ResolveProgram(request.Argv[0], env, plan.Platform, policy.WorkingDirectory);
        if (resolved is null) throw new ProgramNotFoundException(request.Argv[0]);
        var program = plan.Sandboxed ? plan.Program : resolved;
        IReadOnlyList<string> arguments = plan.Arguments;

        var host = plan.HostActions;
        var createdMasks = host.MaskFiles.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        var createdMaskDirectories = host.MaskDirectories.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        var privateFolders = CreatePrivateFolders(host.PrivateFolders);
        PidsCgroup? cgroup = null;
        if (host.PidsCgroupLimit is { } maxProcesses)
        {
            cgroup = PidsCgroup.TryCreate(maxProcesses, out var problem);
            if (cgroup is null)
            {
                notEnforced.Add($"process-limit: max_processes = {maxProcesses} is not applied: root is exempt from RLIMIT_NPROC and no pids cgroup could be made ({problem})");
            }
            else
            {
                (program, arguments) = cgroup.Wrap(program, arguments);
                enforced.Add($"process-limit: at most {maxProcesses} processes (pids cgroup)");
            }
        }
        bool launcher = plan.Platform == TargetPlatform.Linux && LauncherEnforcement.UsesLauncher(plan.Backend);
        try
        {
            return ProcessRunner.Run(new ProcessSpec
            {
                Program = program,
                Arguments = arguments,
                WorkingDirectory = policy.WorkingDirectory,
                Environment = env,
                Timeout = timeout,
                OutputMaxBytes = policy.Limits.OutputMaxBytes,
                StatusDescriptor = launcher ? LauncherStatus.Descriptor : null,
                // The launcher makes the terminal its command's own (--controlling-terminal in the plan); a program started
                // without it gets the terminal through a new session of its own.
                Terminal = !request.Interactive ? ChildTerminal.None : launcher ? ChildTerminal.Inherited : ChildTerminal.NewSession,
            }, onLine, cancel);
        }
        finally
        {
            RemoveMaskFiles(createdMasks);
            RemoveMaskDirectories(createdMaskDirectories);
            DeletePrivateFolders(privateFolders);
            cgroup?.Dispose();
        }
    }

    /// <summary>The launcher's status record applied to the plan's protections: a refusal for a missing program becomes
    /// <see cref="ProgramNotFoundException"/>, and the launcher's layer of the protections is what it reported.</summary>
    private static (IReadOnlyList<string> Enforced, IReadOnlyList<string> NotEnforced) Reported(string backend, IReadOnlyList<string> enforced,
        IReadOnlyList<string> notEnforced, string statusRecord, string program)
    {
        var status = LauncherStatus.Parse(statusRecord);
        if (status is { Executed: false, Error: LaunchErrorKind.ProgramNotFound }) throw new ProgramNotFoundException(program);
        return LauncherEnforcement.Apply(backend, enforced, notEnforced, status);
    }

    private static ProcessOutcome RunWindows(LaunchPlan plan, Dictionary<string, string> env, TimeSpan? timeout, long outputMaxBytes,
        Action<OutputLine>? onLine, CancellationToken cancel, List<string> notEnforced)
    {
        if (!OperatingSystem.IsWindows())
        {
            throw new SandboxUnavailableException("The Windows sandbox (restricted token and job object) can only be started on Windows.",
                "Use Get-SandboxPolicy -TargetPlatform Windows to review the Windows plan from here.");
        }
        return WindowsSandboxRunner.Run(plan, env, timeout, outputMaxBytes, onLine, cancel, notEnforced);
    }

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
