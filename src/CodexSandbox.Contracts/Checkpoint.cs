namespace CodexSandbox;

/// <summary>The recorded state of the writable roots before a sandboxed run, used to undo what the run changed.</summary>
public sealed class Checkpoint
{
    public string Id { get; init; } = "";
    /// <summary>The audit record of the run this checkpoint belongs to, when known.</summary>
    public string? AuditId { get; init; }
    public DateTimeOffset Created { get; init; }
    /// <summary>When the state right after the run was recorded (needed to spot later changes by others); null if never.</summary>
    public DateTimeOffset? AfterRun { get; init; }
    /// <summary>When Undo-SandboxChange last put the run's changes back from this checkpoint; null if never.</summary>
    public DateTimeOffset? Undone { get; init; }
    public IReadOnlyList<string> Roots { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    public CheckpointKind Kind { get; init; }
    /// <summary>True when at least one root was recorded.</summary>
    public bool Taken { get; init; }
    public long SizeBytes { get; init; }
    /// <summary>Why some or all roots were not recorded; null when all were.</summary>
    public string? Reason { get; init; }
    public IReadOnlyList<CheckpointRoot> Details { get; init => field = TextList<CheckpointRoot>.From(value); } = TextList<CheckpointRoot>.Empty;

    public override string ToString() => Taken ? $"{Id} ({Kind}, {Roots.Count} root(s))" : $"{Id} (not taken: {Reason})";
}
