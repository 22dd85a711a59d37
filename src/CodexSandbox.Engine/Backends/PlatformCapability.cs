using CodexSandbox.Engine.Backends.MacOS;
using CodexSandbox.Engine.Backends.Windows;
using CodexSandbox.Engine.Execution;

namespace CodexSandbox.Engine.Backends;

/// <summary>
/// What macOS and Windows hosts enforce, per mode, taken from the same planners a real run uses, so the report
/// and the run cannot disagree. Linux has its own probe (<see cref="Linux.CapabilityProbe"/>).
/// </summary>
public static class PlatformCapability
{
    private static readonly Lazy<(bool Works, string? Problem)> s_seatbelt = new(() => ProbeSeatbelt(SeatbeltPlanner.SandboxExec));

    public static SandboxCapability Describe(SandboxHost host, string workingDirectory) => host.Platform switch
    {
        TargetPlatform.MacOS => DescribeMac(host, workingDirectory),
        TargetPlatform.Windows => DescribeWindows(workingDirectory),
        _ => throw new ArgumentException("Linux is described by CapabilityProbe.", nameof(host)),
    };

    private static SandboxCapability DescribeMac(SandboxHost host, string cwd)
    {
        var present = File.Exists(host.SandboxExecPath);
        var (works, problem) = !present ? (false, $"{host.SandboxExecPath} is missing")
            : host.SandboxExecPath == SeatbeltPlanner.SandboxExec ? s_seatbelt.Value : ProbeSeatbelt(host.SandboxExecPath);
        var planner = new SeatbeltPlanner(new SeatbeltPlannerOptions());
        var report = PerMode(cwd, (policy, argv) => planner.Plan(policy, argv),
            works ? null : $"cannot run: {problem}. sandbox-exec ships with macOS; without it no command is run sandboxed (fail closed).");
        var notes = new List<string> { "Seatbelt (sandbox-exec) is deprecated by Apple but still enforced by the kernel; Codex uses it the same way." };
        return Build(TargetPlatform.MacOS, report, notes, present ? host.SandboxExecPath : null, works);
    }

    private static SandboxCapability DescribeWindows(string cwd)
    {
        var planner = new WindowsPlanner();
        var report = PerMode(cwd, (policy, argv) => planner.Plan(policy, argv), unavailable: null);
        var notes = new List<string>
        {
            "The basic Windows backend: a write-restricted token, a job object and ACL entries; it limits writes, not reads, and the network only through environment variables.",
            "The Windows layer is built from plans that are unit-tested on Linux; it has not been run on Windows by this project's CI.",
        };
        return Build(TargetPlatform.Windows, report, notes);
    }

    private sealed record ModeReport(Dictionary<SandboxMode, string> Backend, Dictionary<SandboxMode, IReadOnlyList<string>> Protections, Dictionary<SandboxMode, IReadOnlyList<string>> Missing);

    /// <summary>The policy every capability report describes, on every platform: the working directory as the one root, its .git protected, network off.</summary>
    public static SandboxPolicy Sample(SandboxMode mode, string cwd)
    {
        var environment = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var temp = Policy.TempPlan.Resolve(mode, excludeSlashTmp: false, excludeTmpdir: false, shared: false, environment);
        return new()
        {
            SandboxMode = mode,
            WorkingDirectory = cwd,
            WritableRoots = mode == SandboxMode.WorkspaceWrite ? [new WritableRoot(cwd, [Path.Combine(cwd, ".git")])] : [],
            NetworkMode = mode == SandboxMode.DangerFullAccess ? NetworkMode.On : NetworkMode.Off,
            TempFolders = temp.Private,
            HiddenPaths = temp.Hidden,
            SharedTmp = temp.Shared,
        };
    }

    private static ModeReport PerMode(string cwd, Func<SandboxPolicy, IReadOnlyList<string>, LaunchPlan> plan, string? unavailable)
    {
        var report = new ModeReport([], [], []);
        foreach (var mode in Enum.GetValues<SandboxMode>())
        {
            var launch = plan(Sample(mode, cwd), ["<command>"]);
            if (unavailable is not null && launch.Sandboxed)
            {
                report.Backend[mode] = SandboxCapability.Unavailable;
                report.Protections[mode] = [];
                report.Missing[mode] = [unavailable];
                continue;
            }
            report.Backend[mode] = launch.Backend;
            report.Protections[mode] = launch.Enforced;
            report.Missing[mode] = launch.NotEnforced;
        }
        return report;
    }

    private static SandboxCapability Build(TargetPlatform platform, ModeReport report, IReadOnlyList<string> notes, string? sandboxExec = null, bool sandboxExecWorks = false) => new()
    {
        Platform = platform.ToString(),
        KernelVersion = System.Environment.OSVersion.VersionString,
        Architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
        Backend = report.Backend,
        Protections = report.Protections,
        Missing = report.Missing,
        Notes = notes,
        SandboxExecPath = sandboxExec,
        SandboxExecWorks = sandboxExecWorks,
    };

    /// <summary>Applies an allow-all profile to <c>true</c>: fails where Seatbelt cannot be applied (for example inside another sandbox).</summary>
    private static (bool Works, string? Problem) ProbeSeatbelt(string sandboxExec)
    {
        if (!File.Exists(sandboxExec)) return (false, $"{sandboxExec} is missing");
        try
        {
            var outcome = ProcessRunner.Run(new ProcessSpec
            {
                Program = sandboxExec,
                Arguments = ["-p", "(version 1)(allow default)", "/usr/bin/true"],
                WorkingDirectory = "/",
                Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                Timeout = TimeSpan.FromSeconds(10),
            }, null, CancellationToken.None);
            return outcome.ExitCode == 0 ? (true, null)
                : (false, $"{sandboxExec} could not apply a profile (exit {outcome.ExitCode}{(outcome.Stderr.Length > 0 ? ": " + outcome.Stderr.Trim() : "")})");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, $"{sandboxExec} could not be started: {e.Message}");
        }
    }
}
