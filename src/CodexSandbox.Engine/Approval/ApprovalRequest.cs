namespace CodexSandbox.Engine.Approval;

/// <summary>Everything the approval decision depends on.</summary>
/// <remarks><paramref name="Granular"/> holds the categories of <see cref="ApprovalPolicy.Granular"/>; when it is missing
/// under that policy, every category counts as false, so nothing is asked that the user did not switch on.
/// <paramref name="UnsandboxedRefusal"/> is set (to the reason) when the administrator's requirements keep every command inside
/// the sandbox: then an escalation is rejected, an allow rule does not bypass the sandbox, and no unsandboxed retry is offered.</remarks>
public sealed record ApprovalRequest(
    IReadOnlyList<SegmentVerdict> Segments,
    bool UsesComplexParsing,
    SandboxMode SandboxMode,
    ApprovalPolicy ApprovalPolicy,
    bool RequestEscalation = false,
    string? Justification = null,
    HostOs Os = HostOs.Linux,
    GranularApproval? Granular = null,
    string? UnsandboxedRefusal = null);
