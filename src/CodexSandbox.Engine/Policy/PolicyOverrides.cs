using CodexSandbox.Engine.Policy.Layers;

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
    /// <summary><c>-Permissions</c>: the permission profile to apply, as <c>default_permissions</c> would (Codex's <c>--permissions-profile</c>).</summary>
    public string? Permissions { get; init; }

    /// <summary>The parameters that replace a configured value, as the highest layer. <see cref="WritableRoots"/> add to the configured roots instead.</summary>
    public LayerValues AsLayer() => new()
    {
        Profile = Profile is { } profile ? Sourced<string>.Parameter("profile", profile, profile) : null,
        DefaultPermissions = Permissions is { } id ? Sourced<string>.Parameter("default_permissions", id, id) : null,
        SandboxMode = SandboxMode is { } mode ? Sourced<SandboxMode>.Parameter("sandbox_mode", mode, ConfigNames.Of(mode)) : null,
        ApprovalPolicy = ApprovalPolicy is { } approval ? Sourced<ApprovalPolicy>.Parameter("approval_policy", approval, ConfigNames.Of(approval)) : null,
        NetworkMode = NetworkAccess is { } on
            ? Sourced<NetworkMode>.Parameter("network_access", on ? CodexSandbox.NetworkMode.On : CodexSandbox.NetworkMode.Off, on ? "true" : "false")
            : null,
    };
}
