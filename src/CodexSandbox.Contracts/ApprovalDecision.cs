namespace CodexSandbox;

/// <summary>The verdict on a command under the approval policy.</summary>
public enum ApprovalDecision
{
    /// <summary>Runs without asking.</summary>
    Allow,
    /// <summary>Runs only after the user approves.</summary>
    Prompt,
    /// <summary>Never runs.</summary>
    Forbidden,
}
