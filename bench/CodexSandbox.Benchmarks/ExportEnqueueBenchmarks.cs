using BenchmarkDotNet.Attributes;
using CodexSandbox;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Export;

/// <summary>
/// What audit export adds to a run: the hand-over of a record to the export queue (goal ≤ 50 µs; a run does nothing
/// else for export), and an append with export attached next to one without (the run path, unchanged within noise).
/// The sink is a syslog receiver on UDP port 9 of loopback, so the background sender never blocks the measurement.
/// </summary>
[MemoryDiagnoser]
public class ExportEnqueueBenchmarks
{
    private string _directory = "";
    private AuditLog _plain = null!;
    private AuditLog _exported = null!;
    private AuditRecord _record = null!;

    private static readonly AuditEntry Entry = new()
    {
        EventType = AuditEventType.CommandExecuted,
        Argv = ["/usr/bin/git", "-C", "/work/repo", "status", "--short"],
        WorkingDirectory = "/work/repo",
        SandboxMode = SandboxMode.WorkspaceWrite,
        NetworkAccess = NetworkMode.Off,
        Decision = "Allow",
        DecisionSource = "Policy",
        ExitCode = 0,
        Duration = TimeSpan.FromMilliseconds(4.2),
    };

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "cs-export-bench-" + Guid.NewGuid().ToString("N"));
        var home = Directory.CreateDirectory(Path.Combine(_directory, "codex-home")).FullName;
        File.WriteAllText(Path.Combine(home, "config.toml"), "[sandbox_audit]\nsyslog = { transport = \"udp\", address = \"127.0.0.1:9\" }\n");
        var config = ConfigLoader.Load(new ConfigRequest
        {
            WorkingDirectory = _directory, CodexHome = home, Home = _directory, SystemDirectory = Path.Combine(_directory, "no-system-layer"),
        });
        var exported = new AuditSettings { Path = Path.Combine(_directory, "exported", "sandbox-audit.jsonl") };
        AuditExport.Attach(config, exported);
        _exported = AuditLog.Open(exported);
        _plain = new AuditLog(new AuditSettings { Path = Path.Combine(_directory, "plain", "sandbox-audit.jsonl") });
        _record = _exported.Append(Entry);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _exported.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>The export hook alone: what a run pays per record for export.</summary>
    [Benchmark]
    public void Enqueue() => _exported.Appended!.Invoke(_record);

    [Benchmark(Baseline = true)]
    public AuditRecord Append() => _plain.Append(Entry);

    [Benchmark]
    public AuditRecord AppendWithExport() => _exported.Append(Entry);
}
