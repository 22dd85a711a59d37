namespace CodexSandbox.Engine.Network;

/// <summary>
/// One problem in a <c>[sandbox_network]</c> table. <see cref="Key"/> is the key (e.g. <c>sandbox_network.allowed_domains</c>)
/// and <see cref="Index"/> the position in its array (-1 for scalars), so the caller can attach a file position.
/// </summary>
public sealed record NetworkPolicyProblem(DiagnosticSeverity Severity, string Id, string Key, int Index, string Message);
