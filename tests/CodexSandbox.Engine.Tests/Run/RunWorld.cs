using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Rules;
using CodexSandbox.Engine.Run;

namespace CodexSandbox.Engine.Tests.Run;

/// <summary>
/// A throwaway world for whole runs on this Linux machine: a work folder, an audit log and a checkpoint store of its
/// own, and the real launcher (CODEXSANDBOX_LAUNCHER, as build.ps1 Test sets it, else the one staged by ./build.ps1 Build).
/// </summary>
public sealed class RunWorld : IDisposable
{
    private readonly string _base;

    public RunWorld()
    {
        _base = Directory.CreateTempSubdirectory("cxsb-run-").FullName;
        Work = Directory.CreateDirectory(Path.Combine(_base, "work")).FullName;
        AuditPath = Path.Combine(_base, "log", AuditLog.DefaultFileName);
        CheckpointDirectory = Path.Combine(_base, "checkpoints");
        Host = SandboxHost.ForLinux(LinuxHost.Detect(FindLauncher()));
    }

    public string Work { get; }
    public string AuditPath { get; }
    public string CheckpointDirectory { get; }
    public SandboxHost Host { get; }
    public SessionApprovals Session { get; } = new();
    /// <summary>How often a run asked for the host (it must not, for a forbidden command).</summary>
    public int HostDetections { get; private set; }

    public string P(string name) => Path.Combine(Work, name);

    public SandboxPolicy Policy(SandboxMode mode, ApprovalPolicy approval, CheckpointMode checkpoint = CheckpointMode.Never, AuditSettings? audit = null) => new()
    {
        SandboxMode = mode,
        ApprovalPolicy = approval,
        WorkingDirectory = Work,
        WritableRoots = mode == SandboxMode.WorkspaceWrite ? [new WritableRoot(Work, [])] : [],
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/local/bin:/usr/bin:/bin", ["HOME"] = _base },
        Audit = audit ?? new AuditSettings { Path = AuditPath },
        Checkpoint = checkpoint,
        CodexHome = Path.Combine(_base, "codex-home"),
    };

    public RunSettings Settings(SandboxPolicy policy, RuleSet? rules = null, SessionApprovals? session = null) => new()
    {
        Policy = policy,
        Rules = rules,
        Session = session ?? Session,
        CheckpointDirectory = CheckpointDirectory,
        DetectHost = () => { HostDetections++; return Host; },
    };

    /// <summary>Every record of the world's audit log, oldest first.</summary>
    public IReadOnlyList<AuditRecord> Audit() => File.Exists(AuditPath) ? AuditReader.Query(AuditPath, new AuditQuery()).ToList() : [];

    public static CommandToRun Argv(params string[] argv) => new(ShellKind.Argv, argv, string.Join(' ', argv));

    public static CommandToRun Line(string line) => new(ShellKind.Posix, ["/bin/sh", "-c", line], line);

    public void Dispose()
    {
        try { Directory.Delete(_base, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal static string FindLauncher()
    {
        if (LinuxHost.FindLauncher(StagedModule() ?? "") is { } path) return path;
        throw new InvalidOperationException(
            "No codex-linux-sandbox launcher: build and stage the module with ./build.ps1 Build, or set CODEXSANDBOX_LAUNCHER to a built launcher.");
    }

    // out/CodexSandbox/<version>, the module ./build.ps1 Build stages in the repository.
    private static string? StagedModule()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (!File.Exists(Path.Combine(dir, "CodexSandbox.sln"))) continue;
            var staged = Path.Combine(dir, "out", "CodexSandbox");
            return Directory.Exists(staged) ? Directory.GetDirectories(staged).OrderDescending(StringComparer.Ordinal).FirstOrDefault() : null;
        }
        return null;
    }
}
