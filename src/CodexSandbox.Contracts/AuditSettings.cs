namespace CodexSandbox;

/// <summary>The <c>[sandbox_audit]</c> table.</summary>
public sealed class AuditSettings
{
    public bool Enabled { get; init; } = true;
    /// <summary>The log file: <c>[sandbox_audit] path</c>, or <c>&lt;log_dir&gt;/sandbox-audit.jsonl</c>.</summary>
    public string Path { get; init; } = "";
    public int RetentionDays { get; init; } = 90;
    public int MaxFileMB { get; init; } = 64;
    /// <summary>When true, a failure to write the log refuses the run.</summary>
    public bool Required { get; init; }
    /// <summary>When true, stdout and stderr are recorded too.</summary>
    public bool RecordOutput { get; init; }
    /// <summary>When true, every record is flushed to disk before the call returns.</summary>
    public bool Fsync { get; init; }

    public override string ToString() => Enabled ? $"{Path} (keep {RetentionDays} days, rotate at {MaxFileMB} MB)" : "disabled";
}
