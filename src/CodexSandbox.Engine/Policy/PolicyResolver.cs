using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Environment;

namespace CodexSandbox.Engine.Policy;

/// <summary>Turns the config layers and the cmdlet's parameters into the effective <see cref="SandboxPolicy"/>.</summary>
public static class PolicyResolver
{
    public static SandboxPolicy Resolve(LoadedConfig config, PolicyOverrides overrides, IReadOnlyDictionary<string, string> parentEnvironment)
    {
        var errors = config.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new ConfigException(errors);

        var origins = new List<PolicyOrigin>();
        var warnings = new List<string>();
        foreach (var skipped in config.SkippedProjectFiles)
        {
            warnings.Add($"{skipped} was not loaded: the project is not trusted (set [projects.\"{config.ProjectRoot ?? config.Request.WorkingDirectory}\"] trust_level = \"trusted\" in the user config).");
        }

        // Profile: parameter, then the `profile` key.
        string? profileName = overrides.Profile;
        string profileSource = "-Profile";
        if (profileName is null && config.Get("profile") is { } p)
        {
            profileName = (string)p.Value;
            profileSource = $"profile key in {p.File}:{p.Line}";
            origins.Add(p.Origin("profile"));
        }
        else if (profileName is not null) origins.Add(new PolicyOrigin("profile", profileName, PolicySource.Parameter));
        LayerSettings? profile = null;
        if (profileName is not null)
        {
            profile = config.FindProfile(profileName) ?? throw new ProfileNotFoundException(profileName, config.ProfileNames.ToList(), profileSource);
        }

        Setting? Lookup(string key) => profile?.Values.GetValueOrDefault(key) ?? config.Get(key);

        var cwd = PathUtil.Canonical(config.Request.WorkingDirectory);
        var trust = config.Trust?.Value as string;
        if (config.Trust is { } t) origins.Add(t.Origin("trust_level"));

        // §2.3: a trust decision (either way) makes workspace-write the default; otherwise read-only.
        SandboxMode mode;
        if (overrides.SandboxMode is { } m) { mode = m; origins.Add(new PolicyOrigin("sandbox_mode", ConfigNames.Of(m), PolicySource.Parameter)); }
        else if (Lookup("sandbox_mode") is { } sm) { mode = ConfigNames.ParseMode((string)sm.Value); origins.Add(sm.Origin("sandbox_mode")); }
        else { mode = trust is null ? SandboxMode.ReadOnly : SandboxMode.WorkspaceWrite; origins.Add(new PolicyOrigin("sandbox_mode", ConfigNames.Of(mode), PolicySource.Default)); }

        ApprovalPolicy approval;
        if (overrides.ApprovalPolicy is { } a) { approval = a; origins.Add(new PolicyOrigin("approval_policy", ConfigNames.Of(a), PolicySource.Parameter)); }
        else if (Lookup("approval_policy") is { } ap) { approval = ConfigNames.ParseApproval((string)ap.Value); origins.Add(ap.Origin("approval_policy")); }
        else
        {
            approval = trust == "untrusted" ? ApprovalPolicy.Untrusted : ApprovalPolicy.OnRequest;
            origins.Add(new PolicyOrigin("approval_policy", ConfigNames.Of(approval), PolicySource.Default));
        }

        // Network.
        NetworkMode network;
        if (mode == SandboxMode.DangerFullAccess)
        {
            network = NetworkMode.On;
            origins.Add(new PolicyOrigin("network_access", "true", PolicySource.Default));
        }
        else if (overrides.NetworkAccess is { } n)
        {
            network = n ? NetworkMode.On : NetworkMode.Off;
            origins.Add(new PolicyOrigin("network_access", n ? "true" : "false", PolicySource.Parameter));
        }
        else if (Lookup("sandbox_network.mode") is { } nm)
        {
            network = ConfigNames.ParseNetwork((string)nm.Value);
            origins.Add(nm.Origin("sandbox_network.mode"));
        }
        else if (mode == SandboxMode.WorkspaceWrite && Lookup("sandbox_workspace_write.network_access") is { } na)
        {
            network = (bool)na.Value ? NetworkMode.On : NetworkMode.Off;
            origins.Add(na.Origin("sandbox_workspace_write.network_access"));
        }
        else
        {
            network = NetworkMode.Off;
            origins.Add(new PolicyOrigin("network_access", "false", PolicySource.Default));
        }

        // Paths no sandboxed command may change, whatever the mode and the roots.
        var logDir = Lookup("log_dir") is { } ld ? Track(origins, ld, "log_dir", (string)ld.Value) : Path.Combine(config.Request.CodexHome, "log");
        var auditPath = Lookup("sandbox_audit.path") is { } apth ? Track(origins, apth, "sandbox_audit.path", (string)apth.Value) : Path.Combine(logDir, "sandbox-audit.jsonl");
        var alwaysReadOnly = AlwaysReadOnlyPaths(config.Request.CodexHome, logDir, auditPath);

        // Temporary folders: private per run unless shared explicitly ([sandbox_linux] tmp = "shared").
        bool sharedTmp = Lookup("sandbox_linux.tmp") is { } tmpKey && Track(origins, tmpKey, "sandbox_linux.tmp", (string)tmpKey.Value == "shared");
        var slashTmp = mode == SandboxMode.WorkspaceWrite ? Lookup("sandbox_workspace_write.exclude_slash_tmp") : null;
        if (slashTmp is not null) origins.Add(slashTmp.Origin("sandbox_workspace_write.exclude_slash_tmp"));
        var tmpdirExcl = mode == SandboxMode.WorkspaceWrite ? Lookup("sandbox_workspace_write.exclude_tmpdir_env_var") : null;
        if (tmpdirExcl is not null) origins.Add(tmpdirExcl.Origin("sandbox_workspace_write.exclude_tmpdir_env_var"));
        var temp = TempPlan.Resolve(mode, slashTmp?.Value is true, tmpdirExcl?.Value is true, sharedTmp, parentEnvironment);

        // Writable roots (§3.1).
        var roots = new List<WritableRoot>();
        if (mode == SandboxMode.WorkspaceWrite)
        {
            var candidates = new List<(string Path, string Why)>();
            if (Lookup("sandbox_workspace_write.writable_roots") is { } wr)
            {
                origins.Add(wr.Origin("sandbox_workspace_write.writable_roots"));
                candidates.AddRange(((IReadOnlyList<string>)wr.Value).Select(r => (r, $"writable_roots in {wr.File}:{wr.Line}")));
            }
            if (overrides.WritableRoots.Count > 0)
            {
                origins.Add(new PolicyOrigin("writable_roots (added)", Setting.Format(overrides.WritableRoots), PolicySource.Parameter));
                candidates.AddRange(overrides.WritableRoots.Select(r => (Path.GetFullPath(r, config.Request.WorkingDirectory), "-WritableRoot")));
            }
            candidates.Add((cwd, "working directory"));
            // Shared (or Windows' TEMP/TMP): the host's own temporary folders are writable roots, as in Codex.
            candidates.AddRange(temp.SharedRoots);

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (path, why) in candidates)
            {
                var canonical = PathUtil.Canonical(path);
                if (!Directory.Exists(canonical))
                {
                    warnings.Add($"Writable root '{path}' ({why}) does not exist and was skipped.");
                    continue;
                }
                if (!seen.Add(canonical)) continue;
                roots.Add(new WritableRoot(canonical, ProtectedPaths.For(canonical, cwd, alwaysReadOnly)));
            }
        }
        else if (overrides.WritableRoots.Count > 0)
        {
            warnings.Add($"-WritableRoot is ignored in {ConfigNames.Of(mode)} mode: {(mode == SandboxMode.ReadOnly ? "nothing is writable" : "everything is writable")}.");
        }

        // Environment.
        var envPolicy = new EnvironmentPolicy
        {
            Inherit = Lookup("shell_environment_policy.inherit") is { } inh ? Track(origins, inh, "shell_environment_policy.inherit", ConfigNames.ParseInherit((string)inh.Value)) : EnvironmentInherit.All,
            IgnoreDefaultExcludes = Lookup("shell_environment_policy.ignore_default_excludes") is { } ide && Track(origins, ide, "shell_environment_policy.ignore_default_excludes", (bool)ide.Value),
            Exclude = Lookup("shell_environment_policy.exclude") is { } ex ? Track(origins, ex, "shell_environment_policy.exclude", (IReadOnlyList<string>)ex.Value) : [],
            Set = Lookup("shell_environment_policy.set") is { } set ? Track(origins, set, "shell_environment_policy.set", (IReadOnlyDictionary<string, string>)set.Value) : new Dictionary<string, string>(),
            IncludeOnly = Lookup("shell_environment_policy.include_only") is { } io ? Track(origins, io, "shell_environment_policy.include_only", (IReadOnlyList<string>)io.Value) : [],
        };
        var env = EnvironmentBuilder.Build(envPolicy, parentEnvironment, roots.Select(r => r.Path).ToList());

        // Limits, audit, Linux, deny_read, log_dir.
        long? Long(string key) => Lookup(key) is { } s ? Track(origins, s, key, (long)s.Value) : null;
        bool? Bool(string key) => Lookup(key) is { } s ? Track(origins, s, key, (bool)s.Value) : null;
        var limits = new ResourceLimits
        {
            CpuSeconds = Long("sandbox_limits.cpu_seconds"),
            MemoryMB = Long("sandbox_limits.memory_mb"),
            MaxProcesses = Long("sandbox_limits.max_processes"),
            FileSizeMB = Long("sandbox_limits.file_size_mb"),
            OpenFiles = Long("sandbox_limits.open_files"),
            TimeoutSec = Long("sandbox_limits.timeout_sec") is { } ts ? (int)Math.Min(ts, int.MaxValue) : null,
            OutputMaxBytes = Long("sandbox_limits.output_max_bytes") ?? ResourceLimits.DefaultOutputMaxBytes,
        };

        var audit = new AuditSettings
        {
            Enabled = Bool("sandbox_audit.enabled") ?? true,
            Path = auditPath,
            RetentionDays = (int)(Long("sandbox_audit.retention_days") ?? 90),
            MaxFileMB = (int)(Long("sandbox_audit.max_file_mb") ?? 64),
            Required = Bool("sandbox_audit.required") ?? false,
            RecordOutput = Bool("sandbox_audit.record_output") ?? false,
            Fsync = Bool("sandbox_audit.fsync") ?? false,
        };

        var namespaces = Lookup("sandbox_linux.namespaces") is { } ns
            ? Track(origins, ns, "sandbox_linux.namespaces", ConfigNames.ParseNamespaces((string)ns.Value))
            : NamespaceRequirement.Auto;
        IReadOnlyList<string> Strings(string key) => Lookup(key) is { } s ? Track(origins, s, key, (IReadOnlyList<string>)s.Value) : [];
        var allowedDomains = Strings("sandbox_network.allowed_domains");
        var deniedDomains = Strings("sandbox_network.denied_domains");
        IReadOnlyList<int> allowedPorts = Lookup("sandbox_network.allowed_ports") is { } ports ? Track(origins, ports, "sandbox_network.allowed_ports", (IReadOnlyList<int>)ports.Value) : [];
        var checkpoint = Lookup("sandbox_rollback.checkpoint") is { } cp
            ? Track(origins, cp, "sandbox_rollback.checkpoint", ConfigNames.ParseCheckpoint((string)cp.Value))
            : CheckpointMode.OnApproval;
        var denyRead = Lookup("deny_read") is { } dr ? Track(origins, dr, "deny_read", (IReadOnlyList<string>)dr.Value) : [];
        var credentials = CredentialFiles.Resolve(Lookup(CredentialFiles.ConfigKey), parentEnvironment, config.Request.CodexHome, origins);

        return new SandboxPolicy
        {
            SandboxMode = mode,
            ApprovalPolicy = approval,
            WorkingDirectory = cwd,
            ProjectRoot = config.ProjectRoot,
            TrustLevel = trust,
            Profile = profileName,
            WritableRoots = roots,
            AlwaysReadOnly = alwaysReadOnly,
            TempFolders = temp.Private,
            HiddenPaths = temp.Hidden,
            SharedTmp = temp.Shared,
            DenyRead = denyRead.Concat(credentials).Distinct(StringComparer.Ordinal).ToList(),
            CredentialDenyRead = credentials,
            NetworkMode = network,
            AllowedDomains = allowedDomains,
            DeniedDomains = deniedDomains,
            AllowedPorts = allowedPorts,
            AllowLocalBinding = Bool("sandbox_network.allow_local_binding") ?? false,
            Checkpoint = checkpoint,
            MaxSnapshotMB = Long("sandbox_rollback.max_snapshot_mb") ?? 100,
            EnvironmentPolicy = envPolicy,
            Environment = env.Environment,
            EnvironmentRemoved = env.Removed,
            Limits = limits,
            Audit = audit,
            LinuxNamespaces = namespaces,
            CodexHome = config.Request.CodexHome,
            LogDirectory = logDir,
            ConfigFiles = config.Layers.Select(l => l.Layer.File.Path).ToList(),
            Provenance = origins,
            Warnings = warnings,
        };
    }

    /// <summary>The folder this module is loaded from: the engine lives in its <c>Dependencies</c> folder.</summary>
    public static string ModuleFolder { get; } = FindModuleFolder();

    private static string FindModuleFolder()
    {
        var engineDir = Path.GetDirectoryName(typeof(PolicyResolver).Assembly.Location) ?? AppContext.BaseDirectory;
        return Path.GetFileName(engineDir) == "Dependencies" ? Path.GetDirectoryName(engineDir)! : engineDir;
    }

    private static IReadOnlyList<string> AlwaysReadOnlyPaths(string codexHome, string logDir, string auditPath)
    {
        var paths = new List<string> { codexHome, "/etc/codex", ModuleFolder, logDir };
        if (Path.GetDirectoryName(auditPath) is { } auditDir) paths.Add(auditDir);
        return paths.Where(p => p.Length > 0).Select(PathUtil.Canonical).Distinct(StringComparer.Ordinal).ToList();
    }

    private static T Track<T>(List<PolicyOrigin> origins, Setting setting, string key, T value)
    {
        origins.Add(setting.Origin(key));
        return value;
    }
}
