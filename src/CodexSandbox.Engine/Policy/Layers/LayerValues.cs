namespace CodexSandbox.Engine.Policy.Layers;

/// <summary>
/// The sandbox settings one layer sets, typed, each with its origin; null where the layer leaves a setting alone.
/// A layer is a config file, the selected profile, or the cmdlet's parameters (<see cref="PolicyLayers"/> orders them).
/// </summary>
/// <remarks>
/// Adding a setting: its key in <c>ConfigSchema</c> (type checks and diagnostics), a property here, one line in
/// <see cref="LayerValuesReader"/>, and the step that folds it in <c>PolicyResolver</c>.
/// </remarks>
public sealed record LayerValues
{
    public static LayerValues Empty { get; } = new();

    /// <summary><c>profile</c>: the profile to apply (top level of a file, or <c>-Profile</c>).</summary>
    public Sourced<string>? Profile { get; init; }
    public Sourced<SandboxMode>? SandboxMode { get; init; }
    /// <summary><c>default_permissions</c> (or <c>-Permissions</c>): the permission profile, a <c>:built-in</c> or a <c>[permissions.&lt;id&gt;]</c>.</summary>
    public Sourced<string>? DefaultPermissions { get; init; }
    public Sourced<ApprovalPolicy>? ApprovalPolicy { get; init; }
    /// <summary>
    /// The flags of <c>approval_policy = { granular = { … } }</c>, set with <see cref="ApprovalPolicy"/> = Granular; part of
    /// that setting (same key, same origin), not a setting of its own.
    /// </summary>
    public GranularApproval? GranularApproval { get; init; }

    // [sandbox_workspace_write]: applies in workspace-write mode only.
    public Sourced<IReadOnlyList<string>>? WritableRoots { get; init; }
    public Sourced<bool>? WorkspaceNetworkAccess { get; init; }
    public Sourced<bool>? ExcludeTmpdirEnvVar { get; init; }
    public Sourced<bool>? ExcludeSlashTmp { get; init; }

    // [shell_environment_policy]
    public Sourced<EnvironmentInherit>? EnvironmentInherit { get; init; }
    public Sourced<bool>? IgnoreDefaultExcludes { get; init; }
    public Sourced<IReadOnlyList<string>>? EnvironmentExclude { get; init; }
    public Sourced<IReadOnlyDictionary<string, string>>? EnvironmentSet { get; init; }
    public Sourced<IReadOnlyList<string>>? EnvironmentIncludeOnly { get; init; }

    public Sourced<string>? LogDirectory { get; init; }
    public Sourced<IReadOnlyList<string>>? DenyRead { get; init; }
    /// <summary><c>[sandbox_credentials] deny_read</c>: false lets the sandbox read the well-known credential files.</summary>
    public Sourced<bool>? CredentialsDenyRead { get; init; }

    // [sandbox_limits]
    public Sourced<long>? CpuSeconds { get; init; }
    public Sourced<long>? MemoryMB { get; init; }
    public Sourced<long>? MaxProcesses { get; init; }
    public Sourced<long>? FileSizeMB { get; init; }
    public Sourced<long>? OpenFiles { get; init; }
    public Sourced<long>? TimeoutSec { get; init; }
    public Sourced<long>? OutputMaxBytes { get; init; }

    // [sandbox_audit]
    public Sourced<bool>? AuditEnabled { get; init; }
    public Sourced<string>? AuditPath { get; init; }
    public Sourced<long>? AuditRetentionDays { get; init; }
    public Sourced<long>? AuditMaxFileMB { get; init; }
    public Sourced<bool>? AuditRequired { get; init; }
    public Sourced<bool>? AuditRecordOutput { get; init; }
    public Sourced<bool>? AuditFsync { get; init; }

    // [sandbox_linux]
    public Sourced<NamespaceRequirement>? LinuxNamespaces { get; init; }
    /// <summary><c>tmp = "shared"</c> (true) or <c>"private"</c> (false).</summary>
    public Sourced<bool>? SharedTmp { get; init; }

    // [sandbox_network]; -NetworkAccess sets <see cref="NetworkMode"/> too.
    public Sourced<NetworkMode>? NetworkMode { get; init; }
    public Sourced<IReadOnlyList<string>>? AllowedDomains { get; init; }
    public Sourced<IReadOnlyList<string>>? DeniedDomains { get; init; }
    public Sourced<IReadOnlyList<int>>? AllowedPorts { get; init; }
    public Sourced<bool>? AllowLocalBinding { get; init; }

    // [sandbox_rollback]
    public Sourced<CheckpointMode>? Checkpoint { get; init; }
    public Sourced<long>? MaxSnapshotMB { get; init; }
}
