using BenchmarkDotNet.Attributes;
using CodexSandbox;
using CodexSandbox.Engine.Audit;

/// <summary>Cost of one audit append (goal ≤ 50 µs without fsync), with and without fsync.</summary>
[MemoryDiagnoser]
public class AuditAppendBenchmarks
{
    private string _directory = "";
    private AuditLog _log = null!;
    private AuditLog _fsyncLog = null!;

    private static readonly AuditEntry Entry = new()
    {
        EventType = AuditEventType.CommandExecuted,
        Argv = ["/usr/bin/git", "-C", "/work/repo", "status", "--short"],
        WorkingDirectory = "/work/repo",
        SandboxMode = SandboxMode.WorkspaceWrite,
        NetworkAccess = NetworkMode.Off,
        WritableRoots = ["/work/repo", "/tmp"],
        Backend = "Linux",
        Enforcement = ["Landlock", "Seccomp", "Namespaces"],
        Decision = "Allow",
        DecisionSource = "Policy",
        ExitCode = 0,
        Duration = TimeSpan.FromMilliseconds(4.2),
        TimedOut = false,
        StdoutBytes = 120,
        StderrBytes = 0,
    };

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "cs-audit-bench-" + Guid.NewGuid().ToString("N"));
        _log = new AuditLog(new AuditSettings { Path = Path.Combine(_directory, "plain", "sandbox-audit.jsonl") });
        _fsyncLog = new AuditLog(new AuditSettings { Path = Path.Combine(_directory, "fsync", "sandbox-audit.jsonl"), Fsync = true });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        _fsyncLog.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public AuditRecord Append() => _log.Append(Entry);

    [Benchmark]
    public AuditRecord AppendWithFsync() => _fsyncLog.Append(Entry);
}
