using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Environment;
using CodexSandbox.Engine.Policy.Layers;
using CodexSandbox.Engine.Policy.Steps;

namespace CodexSandbox.Engine.Policy;

/// <summary>Turns the config layers and the cmdlet's parameters into the effective <see cref="SandboxPolicy"/>.</summary>
/// <remarks>
/// <see cref="PolicyLayers"/> reads each layer once into typed values; each step below settles one setting (or a few
/// that belong together) from the highest layer that sets it, and records where the value came from. The steps run in
/// the order <see cref="SandboxPolicy.Provenance"/> lists them; later steps depend on earlier ones (the mode decides
/// which workspace-write keys count, the log folder is read-only in every writable root).
/// </remarks>
public static class PolicyResolver
{
    public static SandboxPolicy Resolve(LoadedConfig config, PolicyOverrides overrides, IReadOnlyDictionary<string, string> parentEnvironment)
    {
        // an unusable requirements file stops everything (fail closed): resolving without it could allow what it forbids
        if (config.Requirements is { HasErrors: true } broken)
        {
            throw new Configuration.Requirements.RequirementsException(broken.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList());
        }
        var errors = config.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new ConfigException(errors);

        var r = new Resolution(PolicyLayers.For(config, overrides), config.Request, parentEnvironment);
        foreach (var skipped in config.SkippedProjectFiles)
        {
            r.Warnings.Add($"{skipped} was not loaded: the project is not trusted (set [projects.\"{config.ProjectRoot ?? config.Request.WorkingDirectory}\"] trust_level = \"trusted\" in the user config).");
        }

        var profile = r.Track(r.Layers.Profile)?.Value;
        var trust = r.Track(r.Layers.Trust)?.Value;
        var cwd = PathUtil.Canonical(config.Request.WorkingDirectory);
        // a permission profile replaces sandbox_mode, [sandbox_workspace_write] and the network switch
        var permissions = PermissionsStep.Resolve(r, config, overrides, cwd);
        var mode = permissions?.Mode ?? ModeSteps.Mode(r, trust);
        var (approval, granular) = ModeSteps.Approval(r, trust);
        IReadOnlyList<string> keptDeny = [];
        if (config.Requirements is { } required)
        {
            keptDeny = RequirementsStep.Constrain(r, required, overrides, ref permissions, ref mode, ref approval, ref granular);
        }
        // a profile's network table decides the network alone; without one, [sandbox_network] applies as with sandbox_mode
        var profileNetwork = permissions is { Network.IsEmpty: false } ? ProfileNetworkStep.Resolve(r, permissions) : null;
        var network = profileNetwork?.Mode ?? (permissions is null ? NetworkStep.Mode(r, mode) : ProfileNetwork(r, permissions));

        var logDir = PathSteps.LogDirectory(r);
        var auditPath = PathSteps.AuditPath(r, logDir);
        var alwaysReadOnly = PathSteps.AlwaysReadOnly(config.Request.CodexHome, logDir, auditPath);
        var temp = permissions is null ? TempStep.Resolve(r, mode)
            : TempPlan.Resolve(mode, !permissions.SlashTmpWritable, !permissions.TmpdirWritable, r.Pick(l => l.SharedTmp)?.Value ?? false, parentEnvironment);
        var roots = permissions is null
            ? WritableRootsStep.Resolve(r, mode, overrides.WritableRoots, cwd, temp, alwaysReadOnly)
            : PermissionsStep.Roots(r, permissions, cwd, temp, alwaysReadOnly);

        var envPolicy = EnvironmentStep.Policy(r);
        var env = EnvironmentBuilder.Build(envPolicy, parentEnvironment, roots.Select(root => root.Path).ToList());
        var limits = LimitsStep.Resolve(r);
        var audit = AuditStep.Resolve(r, auditPath);
        var namespaces = r.Pick(l => l.LinuxNamespaces)?.Value ?? NamespaceRequirement.Auto;
        var allowedDomains = profileNetwork?.AllowedDomains ?? r.Pick(l => l.AllowedDomains)?.Value ?? [];
        var deniedDomains = profileNetwork?.DeniedDomains ?? r.Pick(l => l.DeniedDomains)?.Value ?? [];
        var allowedPorts = profileNetwork?.AllowedPorts ?? r.Pick(l => l.AllowedPorts)?.Value ?? [];
        var checkpoint = r.Pick(l => l.Checkpoint)?.Value ?? CheckpointMode.OnApproval;
        var (denyRead, credentials) = PathSteps.DenyRead(r);
        if (permissions is not null) denyRead = [.. denyRead, .. permissions.DenyRead.Except(denyRead, StringComparer.Ordinal)];
        denyRead = [.. denyRead, .. keptDeny.Except(denyRead, StringComparer.Ordinal)];
        var allowLocalBinding = profileNetwork?.AllowLocalBinding ?? r.Pick(l => l.AllowLocalBinding)?.Value ?? false;
        var maxSnapshotMB = r.Pick(l => l.MaxSnapshotMB)?.Value ?? 100;

        var policy = new SandboxPolicy
        {
            SandboxMode = mode,
            ApprovalPolicy = approval,
            GranularApproval = granular,
            WorkingDirectory = cwd,
            ProjectRoot = config.ProjectRoot,
            TrustLevel = trust,
            Profile = profile,
            Permissions = permissions?.Id,
            PermissionsChain = permissions?.Chain ?? [],
            PermissionsDescription = permissions?.Description,
            FilesystemEntries = permissions?.Entries ?? [],
            ReadableRoots = permissions?.Readable,
            WritableRoots = roots,
            AlwaysReadOnly = alwaysReadOnly,
            TempFolders = temp.Private,
            HiddenPaths = temp.Hidden,
            SharedTmp = temp.Shared,
            DenyRead = denyRead,
            CredentialDenyRead = credentials,
            NetworkMode = network,
            AllowedDomains = allowedDomains,
            DeniedDomains = deniedDomains,
            AllowedPorts = allowedPorts,
            AllowLocalBinding = allowLocalBinding,
            NetworkLimited = profileNetwork?.Limited ?? false,
            AllowedUnixSockets = profileNetwork?.AllowedUnixSockets ?? [],
            DeniedUnixSockets = profileNetwork?.DeniedUnixSockets ?? [],
            AllowAllUnixSockets = profileNetwork?.AllowAllUnixSockets ?? false,
            Checkpoint = checkpoint,
            MaxSnapshotMB = maxSnapshotMB,
            EnvironmentPolicy = envPolicy,
            Environment = env.Environment,
            EnvironmentRemoved = env.Removed,
            Limits = limits,
            Audit = audit,
            LinuxNamespaces = namespaces,
            CodexHome = config.Request.CodexHome,
            LogDirectory = logDir,
            ConfigFiles = config.Layers.Select(l => l.Layer.File.Path).ToList(),
            Provenance = r.Origins,
            Warnings = r.Warnings,
        };
        return config.Requirements is { } requirements ? RequirementsStep.Apply(policy, requirements) : policy;
    }

    /// <summary>
    /// The network of a profile with no network table (<see cref="ProfileNetworkStep"/> maps one that has it):
    /// <c>-NetworkAccess</c>, else <c>[sandbox_network]</c>, which Codex does not have, else off (Codex's "restricted").
    /// </summary>
    private static NetworkMode ProfileNetwork(Resolution r, Permissions.ProfilePolicy profile)
    {
        if (profile.Mode == SandboxMode.DangerFullAccess) return r.Use(Sourced<NetworkMode>.Default("network_access", NetworkMode.On, "true"));
        if (r.Layers.Layers[^1].NetworkMode is { } parameter) return r.Use(parameter);
        return r.Pick(l => l.NetworkMode)?.Value ?? r.Use(Sourced<NetworkMode>.Default("network_access", NetworkMode.Off, "false"));
    }

    /// <summary>The folder this module is loaded from: the engine lives in its <c>Dependencies</c> folder.</summary>
    public static string ModuleFolder { get; } = FindModuleFolder();

    private static string FindModuleFolder()
    {
        var engineDir = Path.GetDirectoryName(typeof(PolicyResolver).Assembly.Location) ?? AppContext.BaseDirectory;
        return Path.GetFileName(engineDir) == "Dependencies" ? Path.GetDirectoryName(engineDir)! : engineDir;
    }
}
