namespace CodexSandbox.Engine.Approval;

/// <summary>What the caller does with a command.</summary>
public enum ApprovalAction
{
    /// <summary>Run inside the platform sandbox, without asking.</summary>
    RunSandboxed,
    /// <summary>Run without the sandbox, without asking (danger-full-access, allow rules on every segment, or an allowed escalation).</summary>
    RunUnsandboxed,
    /// <summary>Ask the user first; <see cref="ApprovalOutcome.Sandboxed"/> says how it runs once approved.</summary>
    Ask,
    /// <summary>Do not run; <see cref="ApprovalOutcome.Reason"/> says why.</summary>
    Reject,
}
