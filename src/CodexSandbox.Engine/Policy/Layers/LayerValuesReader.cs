using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Policy.Layers;

/// <summary>
/// Turns the checked settings of one layer (<see cref="LayerSettings"/>, values as the TOML reader produced them)
/// into its typed <see cref="LayerValues"/>. The only place where a setting's value is looked at as an object.
/// </summary>
public static class LayerValuesReader
{
    /// <exception cref="ConfigException">A setting holds a value of another type than its key has.</exception>
    public static LayerValues Read(LayerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var s = settings.Values;
        return new LayerValues
        {
            Profile = Get<string>(s, "profile"),
            SandboxMode = Choice(s, "sandbox_mode", ConfigNames.ParseMode),
            DefaultPermissions = Get<string>(s, "default_permissions"),
            ApprovalPolicy = Approval(s),
            GranularApproval = s.GetValueOrDefault("approval_policy")?.Value as GranularApproval,

            WritableRoots = Get<IReadOnlyList<string>>(s, "sandbox_workspace_write.writable_roots"),
            WorkspaceNetworkAccess = Get<bool>(s, "sandbox_workspace_write.network_access"),
            ExcludeTmpdirEnvVar = Get<bool>(s, "sandbox_workspace_write.exclude_tmpdir_env_var"),
            ExcludeSlashTmp = Get<bool>(s, "sandbox_workspace_write.exclude_slash_tmp"),

            EnvironmentInherit = Choice(s, "shell_environment_policy.inherit", ConfigNames.ParseInherit),
            IgnoreDefaultExcludes = Get<bool>(s, "shell_environment_policy.ignore_default_excludes"),
            EnvironmentExclude = Get<IReadOnlyList<string>>(s, "shell_environment_policy.exclude"),
            EnvironmentSet = Get<IReadOnlyDictionary<string, string>>(s, "shell_environment_policy.set"),
            EnvironmentIncludeOnly = Get<IReadOnlyList<string>>(s, "shell_environment_policy.include_only"),

            LogDirectory = Get<string>(s, "log_dir"),
            DenyRead = Get<IReadOnlyList<string>>(s, "deny_read"),
            CredentialsDenyRead = Get<bool>(s, CredentialFiles.ConfigKey),

            CpuSeconds = Get<long>(s, "sandbox_limits.cpu_seconds"),
            MemoryMB = Get<long>(s, "sandbox_limits.memory_mb"),
            MaxProcesses = Get<long>(s, "sandbox_limits.max_processes"),
            FileSizeMB = Get<long>(s, "sandbox_limits.file_size_mb"),
            OpenFiles = Get<long>(s, "sandbox_limits.open_files"),
            TimeoutSec = Get<long>(s, "sandbox_limits.timeout_sec"),
            OutputMaxBytes = Get<long>(s, "sandbox_limits.output_max_bytes"),

            AuditEnabled = Get<bool>(s, "sandbox_audit.enabled"),
            AuditPath = Get<string>(s, "sandbox_audit.path"),
            AuditRetentionDays = Get<long>(s, "sandbox_audit.retention_days"),
            AuditMaxFileMB = Get<long>(s, "sandbox_audit.max_file_mb"),
            AuditRequired = Get<bool>(s, "sandbox_audit.required"),
            AuditRecordOutput = Get<bool>(s, "sandbox_audit.record_output"),
            AuditFsync = Get<bool>(s, "sandbox_audit.fsync"),

            LinuxNamespaces = Choice(s, "sandbox_linux.namespaces", ConfigNames.ParseNamespaces),
            SharedTmp = Choice(s, "sandbox_linux.tmp", tmp => tmp == "shared"),

            NetworkMode = Choice(s, "sandbox_network.mode", ConfigNames.ParseNetwork),
            AllowedDomains = Get<IReadOnlyList<string>>(s, "sandbox_network.allowed_domains"),
            DeniedDomains = Get<IReadOnlyList<string>>(s, "sandbox_network.denied_domains"),
            AllowedPorts = Get<IReadOnlyList<int>>(s, "sandbox_network.allowed_ports"),
            AllowLocalBinding = Get<bool>(s, "sandbox_network.allow_local_binding"),

            Checkpoint = Choice(s, "sandbox_rollback.checkpoint", ConfigNames.ParseCheckpoint),
            MaxSnapshotMB = Get<long>(s, "sandbox_rollback.max_snapshot_mb"),
        };
    }

    /// <summary>A single setting of type <typeparamref name="T"/> under <paramref name="key"/>, or null when it is absent.</summary>
    /// <exception cref="ConfigException">The setting holds a value of another type.</exception>
    public static Sourced<T>? Typed<T>(Setting? setting, string key)
    {
        if (setting is null) return null;
        if (setting.Value is T value) return new Sourced<T>(value, setting.Origin(key));
        throw new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, "WrongType", setting.File ?? "", setting.Line, 0, key,
            $"{key} must be {Expected(typeof(T))}, not {Describe(setting.Value)}.")]);
    }

    private static Sourced<T>? Get<T>(Dictionary<string, Setting> settings, string key) => Typed<T>(settings.GetValueOrDefault(key), key);

    // A choice is spelled as in the config file; the origin keeps that spelling.
    private static Sourced<T>? Choice<T>(Dictionary<string, Setting> settings, string key, Func<string, T> parse) =>
        Get<string>(settings, key) is { } text ? new Sourced<T>(parse(text.Value), text.Origin) : null;

    // approval_policy holds a spelling or, for { granular = { … } }, the flags (GranularApproval carries them).
    private static Sourced<ApprovalPolicy>? Approval(Dictionary<string, Setting> settings) =>
        settings.GetValueOrDefault("approval_policy") is { Value: GranularApproval granular } setting
            ? new Sourced<ApprovalPolicy>(CodexSandbox.ApprovalPolicy.Granular, setting.Origin("approval_policy", granular.ToString()))
            : Choice(settings, "approval_policy", ConfigNames.ParseApproval);

    private static string Expected(Type type) =>
        type == typeof(bool) ? "a boolean (true or false)" :
        type == typeof(string) ? "a string" :
        type == typeof(long) ? "an integer" :
        type == typeof(IReadOnlyList<string>) ? "an array of strings" :
        type == typeof(IReadOnlyList<int>) ? "an array of port numbers" :
        type == typeof(IReadOnlyDictionary<string, string>) ? "a table of strings" :
        "a " + type.Name;

    private static string Describe(object value) => value switch
    {
        string => "a string",
        bool => "a boolean",
        long or int => "an integer",
        double => "a float",
        IReadOnlyList<string> => "an array of strings",
        IReadOnlyList<int> => "an array of numbers",
        IReadOnlyDictionary<string, string> => "a table of strings",
        _ => "a " + value.GetType().Name,
    };
}
