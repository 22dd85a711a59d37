namespace CodexSandbox.Engine.Policy.Steps;

/// <summary><c>[sandbox_audit]</c>: the audit log's settings (its path is settled earlier, with the read-only paths).</summary>
internal static class AuditStep
{
    public static AuditSettings Resolve(Resolution r, string path) => new()
    {
        Enabled = r.Pick(l => l.AuditEnabled)?.Value ?? true,
        Path = path,
        RetentionDays = (int)(r.Pick(l => l.AuditRetentionDays)?.Value ?? 90),
        MaxFileMB = (int)(r.Pick(l => l.AuditMaxFileMB)?.Value ?? 64),
        Required = r.Pick(l => l.AuditRequired)?.Value ?? false,
        RecordOutput = r.Pick(l => l.AuditRecordOutput)?.Value ?? false,
        Fsync = r.Pick(l => l.AuditFsync)?.Value ?? false,
    };
}
