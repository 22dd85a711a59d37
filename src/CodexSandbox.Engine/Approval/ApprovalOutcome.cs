namespace CodexSandbox.Engine.Approval;

/// <summary>The approval decision for one command.</summary>
/// <param name="Action">Run sandboxed, run unsandboxed, ask, or reject.</param>
/// <param name="Sandboxed">Whether the command runs in the sandbox (after approval, for <see cref="ApprovalAction.Ask"/>).</param>
/// <param name="Reason">Why it is asked or rejected (Codex's wording where it has one); null for a plain run.</param>
/// <param name="OfferUnsandboxedRetry">A failure that looks like a sandbox denial may be retried without the sandbox (§7.3).</param>
/// <param name="RetryNeedsPrompt">That retry must be approved first (false when the command was already approved).</param>
/// <param name="DecidedByRule">An exec-policy rule decided (forbidden, prompt, or allow on every segment).</param>
public sealed record ApprovalOutcome(
    ApprovalAction Action,
    bool Sandboxed,
    string? Reason,
    bool OfferUnsandboxedRetry,
    bool RetryNeedsPrompt,
    bool DecidedByRule)
{
    /// <summary>The outcome as Allow / Prompt / Forbidden.</summary>
    public ApprovalDecision Decision => Action switch
    {
        ApprovalAction.Ask => ApprovalDecision.Prompt,
        ApprovalAction.Reject => ApprovalDecision.Forbidden,
        _ => ApprovalDecision.Allow,
    };
}
