namespace CodexSandbox;

/// <summary>What undoing a run did (or, for a dry run, would do). Paths are absolute.</summary>
public sealed class UndoResult
{
    public string CheckpointId { get; init; } = "";
    public string? AuditId { get; init; }
    /// <summary>Whether everything was put back, something was left alone, or the run was already undone.</summary>
    public UndoStatus Status { get; init; }
    /// <summary>Files the run changed, put back to their checkpointed content and mode.</summary>
    public IReadOnlyList<string> Restored { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Files the run created, removed.</summary>
    public IReadOnlyList<string> Deleted { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Files the run deleted, created again.</summary>
    public IReadOnlyList<string> Recreated { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Files left alone because they changed after the run (or could not be restored): "path: reason".</summary>
    public IReadOnlyList<string> Conflicts { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Other facts worth telling, e.g. that no post-run state was recorded so conflicts could not be detected.</summary>
    public IReadOnlyList<string> Notes { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    public bool DryRun { get; init; }

    public override string ToString() =>
        $"{CheckpointId}: {Status}, {Restored.Count} restored, {Deleted.Count} deleted, {Recreated.Count} recreated, {Conflicts.Count} conflict(s){(DryRun ? " (dry run)" : "")}";
}
