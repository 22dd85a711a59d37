namespace CodexSandbox.Engine.Approval;

/// <summary>Everything the approval decision depends on.</summary>
public sealed record ApprovalRequest(
    IReadOnlyList<SegmentVerdict> Segments,
    bool UsesComplexParsing,
    SandboxMode SandboxMode,
    ApprovalPolicy ApprovalPolicy,
    bool RequestEscalation = false,
    string? Justification = null,
    HostOs Os = HostOs.Linux);
