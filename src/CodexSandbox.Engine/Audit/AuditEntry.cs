namespace CodexSandbox.Engine.Audit;

/// <summary>
/// What a caller wants recorded. <see cref="AuditLog.Append"/> adds the id (unless given), sequence number,
/// time, process id, module version, user and host (unless given) and the hash chain, and redacts secrets.
/// </summary>
public sealed class AuditEntry
{
    public required AuditEventType EventType { get; init; }
    /// <summary>A preset id, so a caller can hand the id out (e.g. <c>SandboxResult.AuditId</c>) before writing; see <see cref="AuditLog.NewId"/>.</summary>
    public string? Id { get; init; }
    public string? Decision { get; init; }
    public string? DecisionSource { get; init; }
    /// <summary>Display string; when null it is built from <see cref="Argv"/>.</summary>
    public string? Command { get; init; }
    public IReadOnlyList<string>? Argv { get; init; }
    public string? WorkingDirectory { get; init; }
    public SandboxMode? SandboxMode { get; init; }
    public NetworkMode? NetworkAccess { get; init; }
    public IReadOnlyList<string>? WritableRoots { get; init; }
    public string? Backend { get; init; }
    public IReadOnlyList<string>? Enforcement { get; init; }
    public int? ExitCode { get; init; }
    public TimeSpan? Duration { get; init; }
    public bool? TimedOut { get; init; }
    public long? StdoutBytes { get; init; }
    public long? StderrBytes { get; init; }
    /// <summary>Written only when <see cref="AuditSettings.RecordOutput"/> is set.</summary>
    public string? Stdout { get; init; }
    public string? Stderr { get; init; }
    public string? Reason { get; init; }
    public string? Rule { get; init; }
    /// <summary>Defaults to the current user name.</summary>
    public string? User { get; init; }
    /// <summary>Defaults to the machine name.</summary>
    public string? Host { get; init; }
    public string? RelatedId { get; init; }
    /// <summary>The environment given to the command; names and values are redacted before writing.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
