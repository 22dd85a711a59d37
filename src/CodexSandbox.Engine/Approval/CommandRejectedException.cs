namespace CodexSandbox.Engine.Approval;

/// <summary>The command is forbidden (by a rule or by the policy); it was recorded as blocked and did not run.</summary>
public sealed class CommandRejectedException(string message, bool byRule) : UnauthorizedAccessException(message)
{
    /// <summary>A forbidden exec-policy rule decided (-Force cannot override it); otherwise the approval or sandbox policy.</summary>
    public bool ByRule { get; } = byRule;
}
