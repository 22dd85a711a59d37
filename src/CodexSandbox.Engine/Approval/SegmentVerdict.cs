namespace CodexSandbox.Engine.Approval;

/// <summary>The analysis of one command segment, as the approval engine needs it.</summary>
public sealed record SegmentVerdict(
    IReadOnlyList<string> Argv,
    bool IsKnownSafe,
    bool IsDangerous,
    string? DangerReason,
    IReadOnlyList<RuleMatch> RuleMatches);
