using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Export;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Export;

/// <summary>A Codex home whose config sends the audit log somewhere, and that log, for end-to-end export tests.</summary>
internal sealed class ExportFixture : IDisposable
{
    private readonly TempTree _tree = new();

    public ExportFixture(string userConfig, string? systemConfig = null)
    {
        LogPath = Path.Combine(_tree.CodexHome, "log", AuditLog.DefaultFileName);
        Audit = new AuditSettings { Path = LogPath };
        _tree.UserConfig(userConfig);
        if (systemConfig is not null) _tree.SystemConfig(systemConfig);
    }

    public string LogPath { get; }
    public AuditSettings Audit { get; }
    public LoadedConfig Config => ConfigLoader.Load(_tree.Request());
    public string Root => _tree.Root;

    public void Attach() => AuditExport.Attach(Config, Audit);

    public AuditRecord Append(AuditEventType type = AuditEventType.CommandExecuted, string command = "echo hi", int? exit = 0, bool? timedOut = null,
        string? decision = "Allow", string? source = "Policy", string backend = "linux-bwrap") =>
        AuditLog.Open(Audit).Append(new AuditEntry
        {
            EventType = type, Command = command, Argv = ["/bin/sh", "-c", command], WorkingDirectory = "/work/proj", SandboxMode = SandboxMode.WorkspaceWrite,
            NetworkAccess = NetworkMode.Off, Backend = type == AuditEventType.CommandExecuted ? backend : null, ExitCode = type == AuditEventType.CommandExecuted ? exit : null,
            TimedOut = timedOut, Duration = type == AuditEventType.CommandExecuted ? TimeSpan.FromMilliseconds(12) : null, Decision = decision, DecisionSource = source,
        });

    public IReadOnlyList<AuditExportResult> Sync(double seconds = 10) => AuditExport.Sync(Config, Audit, TimeSpan.FromSeconds(seconds));

    public void Dispose()
    {
        AuditExport.Detach(LogPath);
        AuditLog.Open(Audit).Dispose();
        _tree.Dispose();
    }
}
