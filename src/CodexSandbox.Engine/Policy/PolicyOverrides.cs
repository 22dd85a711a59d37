namespace CodexSandbox.Engine.Policy;

/// <summary>Values given as cmdlet parameters; they beat every config layer.</summary>
public sealed record PolicyOverrides
{
    public SandboxMode? SandboxMode { get; init; }
    public ApprovalPolicy? ApprovalPolicy { get; init; }
    /// <summary>Extra writable roots, added to the configured ones (like Codex's <c>--add-dir</c>).</summary>
    public IReadOnlyList<string> WritableRoots { get; init; } = [];
    public bool? NetworkAccess { get; init; }
    public string? Profile { get; init; }
}
