using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Execution;

/// <summary>Runs one command under its policy: builds the platform launch, starts it, and describes the outcome.</summary>
public static class SandboxExecutor
{
    /// <summary>The launch a request would use, without running it (for -WhatIf and the audit log).</summary>
    public static LinuxLaunch Plan(RunRequest request, LinuxHost host)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new SandboxUnavailableException($"Running sandboxed commands is implemented for Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.",
                "Use Get-SandboxPolicy -TargetPlatform to review the plan for this platform.");
        }
        foreach (var arg in request.Argv)
        {
            if (arg.Contains('\0')) throw new ArgumentException($"An argument contains a NUL character, which no program can receive: '{arg.Replace("\0", "\\0", StringComparison.Ordinal)}'.");
        }
        var policy = request.Unsandboxed ? Unconfined(request.Policy) : request.Policy;
        return LinuxCommandBuilder.Build(policy, request.Argv, host);
    }

    public static SandboxResult Run(RunRequest request, LinuxHost host, Action<OutputLine>? onLine, CancellationToken cancel,
        Action<NetworkDecision>? onNetworkDecision = null)
    {
        var policy = request.Policy;
        NetworkProxy? proxy = null;
        try
        {
            if (policy.NetworkMode == NetworkMode.Allowlist && !request.Unsandboxed && policy.SandboxMode != SandboxMode.DangerFullAccess)
            {
                Plan(request, host); // refuse (no Landlock ABI 4, no launcher) before anything starts
                proxy = NetworkProxy.StartAsync(NetworkSettings(policy), onNetworkDecision).GetAwaiter().GetResult();
            }
            return Run(request, host, onLine, cancel, proxy);
        }
        finally
        {
            proxy?.DisposeAsync().AsTask().GetAwaiter().GetResult();
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

    private static SandboxResult Run(RunRequest request, LinuxHost host, Action<OutputLine>? onLine, CancellationToken cancel, NetworkProxy? proxy)
    {
        var policy = request.Policy;
        var launch = proxy is null
            ? Plan(request, host)
            : LinuxCommandBuilder.Build(policy, request.Argv, host, DirectPorts.For(NetworkSettings(policy), proxy));
        var env = new Dictionary<string, string>(policy.Environment, StringComparer.Ordinal);
        foreach (var (k, v) in request.ExtraEnvironment) env[k] = v;
        foreach (var (k, v) in launch.EnvironmentAdded) env[k] = v;
        if (proxy is not null)
        {
            foreach (var (k, v) in Network.ProxyEnvironment.Build(proxy)) env[k] = v;
        }

        if (launch.Backend == "none" && ResolveProgram(launch.Program, env) is null) throw new ProgramNotFoundException(launch.Program);

        var createdMasks = launch.MaskFiles.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        var program = launch.Backend == "none" ? ResolveProgram(launch.Program, env)! : launch.Program;
        IReadOnlyList<string> arguments = launch.Arguments;
        PidsCgroup? cgroup = null;
        if (launch.Backend != "none" && policy.Limits.MaxProcesses is { } maxProcesses && PidsCgroup.NeedsCgroup)
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
        ProcessOutcome outcome;
        try
        {
            outcome = ProcessRunner.Run(new ProcessSpec
            {
                Program = program,
                Arguments = arguments,
                WorkingDirectory = policy.WorkingDirectory,
                Environment = env,
                Timeout = request.Timeout ?? (policy.Limits.TimeoutSec is { } s ? TimeSpan.FromSeconds(s) : null),
                OutputMaxBytes = policy.Limits.OutputMaxBytes,
            }, onLine, cancel);
        }
        finally
        {
            RemoveMaskFiles(createdMasks);
            cgroup?.Dispose();
        }

        bool sandboxed = launch.Backend != "none";
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

    private static SandboxPolicy Unconfined(SandboxPolicy p) =>
        p with { SandboxMode = SandboxMode.DangerFullAccess, NetworkMode = NetworkMode.On, WritableRoots = [] };

    /// <summary>PATH lookup in the child's environment, as execvp would do it.</summary>
    public static string? ResolveProgram(string program, IReadOnlyDictionary<string, string> env)
    {
        if (program.Contains('/')) return File.Exists(program) ? Path.GetFullPath(program) : null;
        if (!env.TryGetValue("PATH", out var path)) return null;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
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
