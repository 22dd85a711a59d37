namespace CodexSandbox;

/// <summary>What the approval policy says about a command.</summary>
public enum ApprovalDecision
{
    /// <summary>Runs without asking.</summary>
    Allow,
    /// <summary>Runs only after the user approves.</summary>
    Prompt,
    /// <summary>Never runs.</summary>
    Forbidden,
}
