namespace CodexSandbox.Engine.Approval;

/// <summary>The command needs approval and nobody can be asked; it was recorded as denied and did not run.</summary>
public sealed class ApprovalRequiredException(string message) : UnauthorizedAccessException(message);
