namespace CodexSandbox.Engine.Approval;

/// <summary>The user answered no; the command was recorded as denied and did not run.</summary>
public sealed class ApprovalDeniedException(string message) : OperationCanceledException(message);
