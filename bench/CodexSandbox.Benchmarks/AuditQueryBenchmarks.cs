using BenchmarkDotNet.Attributes;
using CodexSandbox;
using CodexSandbox.Engine.Audit;

/// <summary>Queries over a 100,000-record log (goal ≤ 1 s for a filtered scan).</summary>
public class AuditQueryBenchmarks
{
    private string _directory = "";
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "cs-audit-bench-" + Guid.NewGuid().ToString("N"));
        _path = Path.Combine(_directory, "sandbox-audit.jsonl");
        var log = new AuditLog(new AuditSettings { Path = _path, RetentionDays = 0 });
        for (var i = 0; i < 100_000; i++)
        {
            log.Append(new AuditEntry
            {
                EventType = (i % 7) switch { 0 => AuditEventType.CommandBlocked, 1 => AuditEventType.ApprovalRequested, _ => AuditEventType.CommandExecuted },
                Argv = i % 3 == 0 ? ["/usr/bin/git", "push", "origin", "b" + i] : ["/bin/ls", "-la", "/work/repo/dir" + i],
                WorkingDirectory = "/work/repo",
                SandboxMode = SandboxMode.WorkspaceWrite,
                NetworkAccess = NetworkMode.Off,
                WritableRoots = ["/work/repo"],
                Backend = "Linux",
                Enforcement = ["Landlock", "Seccomp"],
                Decision = i % 7 == 0 ? "Forbidden" : "Allow",
                ExitCode = i % 5,
                Duration = TimeSpan.FromMilliseconds(i % 100),
                StdoutBytes = i,
            });
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public int FilteredQuery100k() =>
        AuditReader.Query(_path, new AuditQuery { EventTypes = [AuditEventType.CommandBlocked], Commands = ["*git push*"] }).Count();

    [Benchmark]
    public int FullScan100k() => AuditReader.Query(_path, new AuditQuery()).Count();

    [Benchmark]
    public int Last20() => AuditReader.Query(_path, new AuditQuery { Last = 20 }).Count();

    [Benchmark]
    public bool Verify100k() => AuditReader.Verify(_path).Intact;
}
