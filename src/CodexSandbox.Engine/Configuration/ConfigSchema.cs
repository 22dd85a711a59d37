namespace CodexSandbox.Engine.Configuration;

/// <summary>The config keys that bear on sandboxing. Everything else in a Codex config.toml belongs to other features and is ignored.</summary>
public static class ConfigSchema
{
    public sealed record Key(string Name, ConfigKeyKind Kind, string[]? Choices = null);

    /// <summary>Keys valid at the top level of a file and inside <c>[profiles.&lt;name&gt;]</c>.</summary>
    public static readonly IReadOnlyList<Key> Keys =
    [
        new("sandbox_mode", ConfigKeyKind.Choice, ["read-only", "workspace-write", "danger-full-access"]),
        new("default_permissions", ConfigKeyKind.String),
        new("approval_policy", ConfigKeyKind.ApprovalPolicy, ["untrusted", "on-failure", "on-request", "never"]),
        new("sandbox_workspace_write.writable_roots", ConfigKeyKind.AbsolutePathList),
        new("sandbox_workspace_write.network_access", ConfigKeyKind.Bool),
        new("sandbox_workspace_write.exclude_tmpdir_env_var", ConfigKeyKind.Bool),
        new("sandbox_workspace_write.exclude_slash_tmp", ConfigKeyKind.Bool),
        new("shell_environment_policy.inherit", ConfigKeyKind.Choice, ["all", "core", "none"]),
        new("shell_environment_policy.ignore_default_excludes", ConfigKeyKind.Bool),
        new("shell_environment_policy.exclude", ConfigKeyKind.StringList),
        new("shell_environment_policy.set", ConfigKeyKind.StringTable),
        new("shell_environment_policy.include_only", ConfigKeyKind.StringList),
        new("shell_environment_policy.experimental_use_profile", ConfigKeyKind.Bool),
        new("log_dir", ConfigKeyKind.AbsolutePath),
        new("deny_read", ConfigKeyKind.AbsolutePathList),
        new("sandbox_credentials.deny_read", ConfigKeyKind.Bool),
        new("sandbox_limits.cpu_seconds", ConfigKeyKind.PositiveInteger),
        new("sandbox_limits.memory_mb", ConfigKeyKind.PositiveInteger),
        new("sandbox_limits.max_processes", ConfigKeyKind.PositiveInteger),
        new("sandbox_limits.file_size_mb", ConfigKeyKind.PositiveInteger),
        new("sandbox_limits.open_files", ConfigKeyKind.PositiveInteger),
        new("sandbox_limits.timeout_sec", ConfigKeyKind.PositiveInteger),
        new("sandbox_limits.output_max_bytes", ConfigKeyKind.PositiveInteger),
        new("sandbox_audit.enabled", ConfigKeyKind.Bool),
        new("sandbox_audit.path", ConfigKeyKind.AbsolutePath),
        new("sandbox_audit.retention_days", ConfigKeyKind.PositiveInteger),
        new("sandbox_audit.max_file_mb", ConfigKeyKind.PositiveInteger),
        new("sandbox_audit.required", ConfigKeyKind.Bool),
        new("sandbox_audit.record_output", ConfigKeyKind.Bool),
        new("sandbox_audit.fsync", ConfigKeyKind.Bool),
        // Audit export (Export/ExportSettings checks the syslog table's contents; every value there is a string).
        new("sandbox_audit.syslog", ConfigKeyKind.StringTable),
        new("sandbox_audit.export_timeout_sec", ConfigKeyKind.PositiveInteger),
        new("sandbox_audit.exit_flush_sec", ConfigKeyKind.PositiveInteger),
        new("sandbox_linux.namespaces", ConfigKeyKind.Choice, ["auto", "required", "off"]),
        new("sandbox_linux.tmp", ConfigKeyKind.Choice, ["private", "shared"]),
        new("sandbox_network.mode", ConfigKeyKind.Choice, ["off", "allowlist", "on"]),
        new("sandbox_network.allowed_domains", ConfigKeyKind.StringList),
        new("sandbox_network.denied_domains", ConfigKeyKind.StringList),
        new("sandbox_network.allowed_ports", ConfigKeyKind.PortList),
        new("sandbox_network.allow_local_binding", ConfigKeyKind.Bool),
        new("sandbox_rollback.checkpoint", ConfigKeyKind.Choice, ["always", "never", "on-approval"]),
        new("sandbox_rollback.max_snapshot_mb", ConfigKeyKind.PositiveInteger),
    ];

    /// <summary>Tables whose every key we know: an unknown key there is probably a typo and gets a warning.</summary>
    public static readonly IReadOnlyList<string> StrictTables =
        ["sandbox_workspace_write", "shell_environment_policy", "sandbox_limits", "sandbox_audit", "sandbox_linux", "sandbox_network", "sandbox_rollback", "sandbox_credentials"];

    public static readonly Key ProfileKey = new("profile", ConfigKeyKind.String);
    public static readonly Key TrustLevelKey = new("trust_level", ConfigKeyKind.Choice, ["trusted", "untrusted"]);

    private static readonly Dictionary<string, Key> s_byName = Keys.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static Key? Find(string name) => s_byName.GetValueOrDefault(name);
}
