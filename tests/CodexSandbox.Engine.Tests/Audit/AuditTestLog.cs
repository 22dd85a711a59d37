using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Tests.Audit;

/// <summary>A fresh log in its own temporary directory, deleted afterwards.</summary>
public sealed class AuditTestLog : IDisposable
{
    public AuditTestLog(long? maxFileBytes = null, int retentionDays = 0, bool recordOutput = false)
    {
        Directory = Path.Combine(Path.GetTempPath(), "cs-audit-" + Guid.NewGuid().ToString("N"));
        LogPath = System.IO.Path.Combine(Directory, "sandbox-audit.jsonl");
        Settings = new AuditSettings { Path = LogPath, RetentionDays = retentionDays, RecordOutput = recordOutput };
        Log = new AuditLog(Settings, maxFileBytes);
    }

    public string Directory { get; }
    public string LogPath { get; }
    public AuditSettings Settings { get; }
    public AuditLog Log { get; }

    public AuditRecord Run(string program, params string[] args) => Log.Append(new AuditEntry
    {
        EventType = AuditEventType.CommandExecuted,
        Argv = [program, .. args],
        WorkingDirectory = "/work",
        SandboxMode = SandboxMode.WorkspaceWrite,
        NetworkAccess = NetworkMode.Off,
        ExitCode = 0,
        Duration = TimeSpan.FromMilliseconds(12.5),
    });

    public List<AuditRecord> All(List<ConfigDiagnostic>? warnings = null) =>
        AuditReader.Query(LogPath, new AuditQuery(), d => warnings?.Add(d)).ToList();

    public void Dispose()
    {
        Log.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
