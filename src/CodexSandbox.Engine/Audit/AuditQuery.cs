namespace CodexSandbox.Engine.Audit;

/// <summary>Filters for <see cref="AuditReader.Query"/>; all given filters must match. Text filters take wildcards (<c>*</c>, <c>?</c>, <c>[abc]</c>), case-insensitive.</summary>
public sealed class AuditQuery
{
    /// <summary>Only the last N matching records (read from the end of the log), returned oldest first.</summary>
    public int? Last { get; init; }
    /// <summary>Records at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Records at or before this time.</summary>
    public DateTimeOffset? Until { get; init; }
    public IReadOnlyList<AuditEventType>? EventTypes { get; init; }
    public IReadOnlyList<string>? Decisions { get; init; }
    /// <summary>Matched against the command display string.</summary>
    public IReadOnlyList<string>? Commands { get; init; }
    public IReadOnlyList<string>? Ids { get; init; }
}
