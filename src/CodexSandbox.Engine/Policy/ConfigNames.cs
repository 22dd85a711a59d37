namespace CodexSandbox.Engine.Policy;

/// <summary>The config-file spellings of our enums (<c>read-only</c> ⇄ <see cref="SandboxMode.ReadOnly"/>).</summary>
public static class ConfigNames
{
    public static string Of(SandboxMode mode) => mode switch
    {
        SandboxMode.ReadOnly => "read-only",
        SandboxMode.WorkspaceWrite => "workspace-write",
        _ => "danger-full-access",
    };

    public static string Of(ApprovalPolicy policy) => policy switch
    {
        ApprovalPolicy.Untrusted => "untrusted",
        ApprovalPolicy.OnFailure => "on-failure",
        ApprovalPolicy.OnRequest => "on-request",
        ApprovalPolicy.Granular => "granular",
        _ => "never",
    };

    public static SandboxMode ParseMode(string text) => text switch
    {
        "read-only" => SandboxMode.ReadOnly,
        "workspace-write" => SandboxMode.WorkspaceWrite,
        "danger-full-access" => SandboxMode.DangerFullAccess,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "Accepted values: read-only, workspace-write, danger-full-access."),
    };

    public static ApprovalPolicy ParseApproval(string text) => text switch
    {
        "untrusted" => ApprovalPolicy.Untrusted,
        "on-failure" => ApprovalPolicy.OnFailure,
        "on-request" => ApprovalPolicy.OnRequest,
        "never" => ApprovalPolicy.Never,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "Accepted values: untrusted, on-failure, on-request, never."),
    };

    public static EnvironmentInherit ParseInherit(string text) => text switch
    {
        "all" => EnvironmentInherit.All,
        "core" => EnvironmentInherit.Core,
        "none" => EnvironmentInherit.None,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "Accepted values: all, core, none."),
    };

    public static NamespaceRequirement ParseNamespaces(string text) => text switch
    {
        "auto" => NamespaceRequirement.Auto,
        "required" => NamespaceRequirement.Required,
        "off" => NamespaceRequirement.Off,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "Accepted values: auto, required, off."),
    };

    public static NetworkMode ParseNetwork(string text) => text switch
    {
        "off" => NetworkMode.Off,
        "allowlist" => NetworkMode.Allowlist,
        "on" => NetworkMode.On,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "Accepted values: off, allowlist, on."),
    };

    public static CheckpointMode ParseCheckpoint(string text) => text switch
    {
        "always" => CheckpointMode.Always,
        "never" => CheckpointMode.Never,
        "on-approval" => CheckpointMode.OnApproval,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "Accepted values: always, never, on-approval."),
    };
}
