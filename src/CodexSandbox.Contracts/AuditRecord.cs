using System.Management.Automation;
using Newtonsoft.Json;

namespace CodexSandbox;

/// <summary>One line of the audit log: a decision or a run, chained to the record before it by hash.</summary>
public sealed class AuditRecord
{
    public string Id { get; init; } = "";
    /// <summary>Position in the chain, 1 for the first record ever written to this log.</summary>
    public long Seq { get; init; }
    /// <summary>When the record was written, UTC.</summary>
    public DateTimeOffset Time { get; init; }
    public AuditEventType EventType { get; init; }
    /// <summary>For example <c>Allow</c>, <c>Prompt</c>, <c>Forbidden</c>, <c>Approved</c>, <c>Denied</c>.</summary>
    public string? Decision { get; init; }
    /// <summary>Who or what decided: <c>Policy</c>, <c>Rule</c>, <c>User</c>, <c>Force</c>, <c>SessionCache</c>.</summary>
    public string? DecisionSource { get; init; }
    /// <summary>The command as a display string (secrets redacted).</summary>
    public string? Command { get; init; }
    public IReadOnlyList<string> Argv { get; init => field = ArgvList.From(value); } = ArgvList.Empty;
    public string? WorkingDirectory { get; init; }
    public SandboxMode? SandboxMode { get; init; }
    /// <summary>The network the command had (the log's <c>networkAccess</c>); <see cref="Network"/> is the same, named as on SandboxResult.</summary>
    public NetworkMode? NetworkAccess { get; init; }
    /// <summary>The network the command had: Off, Allowlist or On, as SandboxResult.Network says it.</summary>
    public NetworkMode? Network => NetworkAccess;
    public IReadOnlyList<string> WritableRoots { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>The sandbox the run used, as written: one of <see cref="SandboxBackend"/> for the records this version writes.</summary>
    public string? Backend { get; init; }
    /// <summary>The protections that were active for the run.</summary>
    public IReadOnlyList<string> Enforcement { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    public int? ExitCode { get; init; }
    /// <summary>How long the command ran; as on SandboxResult, <see cref="DurationMs"/> is what ConvertTo-Json and Export-Csv show.</summary>
    [JsonIgnore, Hidden]
    public TimeSpan? Duration { get; init; }
    /// <summary><see cref="Duration"/> in milliseconds, as the log records it (<c>durationMs</c>).</summary>
    public double? DurationMs => Duration?.TotalMilliseconds;
    public bool? TimedOut { get; init; }
    public long? StdoutBytes { get; init; }
    public long? StderrBytes { get; init; }
    /// <summary>Only recorded when <c>[sandbox_audit] record_output = true</c>.</summary>
    public string? Stdout { get; init; }
    public string? Stderr { get; init; }
    public string? Reason { get; init; }
    /// <summary>The exec-policy rule or safety rule that decided, when one did.</summary>
    public string? Rule { get; init; }
    public string? User { get; init; }
    public string? Host { get; init; }
    public int ProcessId { get; init; }
    public string? ModuleVersion { get; init; }
    /// <summary>Links records: an approval to its run, a proxy decision to its command.</summary>
    public string? RelatedId { get; init; }
    /// <summary>Environment given to the command (secrets redacted), when recorded.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init => field = TextMap<string, string>.FromNullable(value); }
    public IReadOnlyDictionary<string, string>? Details { get; init => field = TextMap<string, string>.FromNullable(value); }
    /// <summary>SHA-256 (hex) of the record before this one; 64 zeros for the first.</summary>
    public string PreviousHash { get; init; } = "";
    /// <summary>SHA-256 (hex) of this record's line up to its hash field.</summary>
    public string Hash { get; init; } = "";
    /// <summary>The file this record was read from (null for a record just written).</summary>
    public string? File { get; init; }
    /// <summary>1-based line in <see cref="File"/>, 0 when unknown.</summary>
    public int Line { get; init; }

    public override string ToString() => $"#{Seq} {Time:u} {EventType} {Decision} {Command}".TrimEnd();
}
