namespace CodexSandbox;

/// <summary>When a checkpoint is taken before a sandboxed run (<c>[sandbox_rollback] checkpoint</c>).</summary>
public enum CheckpointMode
{
    /// <summary>Only for runs the user approved (config spelling <c>on-approval</c>, the default).</summary>
    OnApproval,
    /// <summary>Before every run that can write (<c>always</c>).</summary>
    Always,
    /// <summary>Never (<c>never</c>).</summary>
    Never,
}
