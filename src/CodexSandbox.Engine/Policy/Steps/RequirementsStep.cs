using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Configuration.Requirements;
using CodexSandbox.Engine.Policy.Layers;
using CodexSandbox.Engine.Policy.Permissions;

namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>
/// Applies the administrator's <c>requirements.toml</c> (codex-config-2026.md §6). A configured value it disallows falls
/// back as Codex falls back, with Codex's warning and the requirement's file:line; a value asked for by a cmdlet parameter
/// is refused instead (<see cref="RequirementViolationException"/>), because an explicit request should not be silently
/// changed. Nothing here looks at <c>-Force</c>: it approves prompts, it does not lift requirements.
/// </summary>
internal static class RequirementsStep
{
    /// <summary>The permission profiles of every layer, then the managed ones of the requirements as the highest layer.</summary>
    /// <exception cref="ConfigException">A managed profile has the name of a profile a config file defines.</exception>
    public static List<LayerSettings> WithManagedProfiles(LoadedConfig config)
    {
        var settings = config.Layers.Select(l => l.Settings).ToList();
        if (config.Requirements is not { Permissions.Count: > 0 } q) return settings;
        var managed = new LayerSettings();
        foreach (var (id, table) in q.Permissions)
        {
            if (settings.FirstOrDefault(s => s.Permissions.ContainsKey(id)) is { } clash)
            {
                var own = clash.Permissions[id];
                throw new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, "ProfileConflict", own.File.Path, 0, 0, $"permissions.{id}",
                    $"requirements.toml permissions profile `{id}` conflicts with a config-defined profile of the same name (the managed one is in {q.Path}); rename the profile in the config file.")]);
            }
            managed.Permissions[id] = table;
        }
        settings.Add(managed);
        return settings;
    }

    /// <summary>
    /// With <c>[allowed_permission_profiles]</c> a permission profile always applies (Codex forces profiles on): the selected one
    /// when allowed, the managed default when none is selected or the selected one is disallowed. <c>-SandboxMode</c> asks for
    /// the matching built-in (<c>:read-only</c>, <c>:workspace</c>, <c>:danger-full-access</c>).
    /// </summary>
    /// <exception cref="RequirementViolationException">A parameter asks for a profile that is not allowed.</exception>
    public static Sourced<string> ForcedProfile(Resolution r, SystemRequirements q, Sourced<string>? selected, PolicyOverrides overrides)
    {
        var allowed = q.AllowedPermissionProfiles!;
        var fallback = q.DefaultPermissions!;
        if (overrides.SandboxMode is { } mode)
        {
            var id = mode switch { SandboxMode.ReadOnly => ProfileChain.ReadOnly, SandboxMode.WorkspaceWrite => ProfileChain.Workspace, _ => ProfileChain.DangerFullAccess };
            selected = Sourced<string>.Parameter("default_permissions", id, id);
        }
        if (r.Layers.Layers.FirstOrDefault(l => l.SandboxMode is { Origin.Source: not PolicySource.Parameter }) is { SandboxMode: { } legacy })
        {
            r.Warnings.Add($"sandbox_mode = {legacy.Origin.Value} ({Where(legacy.Origin)}) does not apply: [allowed_permission_profiles] in {Where(allowed.Origin)} " +
                "makes a permission profile apply (default_permissions, or the managed default).");
        }
        if (selected is null) return fallback;
        if (q.AllowsProfile(selected.Value)) return selected;
        if (selected.Origin.Source == PolicySource.Parameter)
        {
            var parameter = overrides.SandboxMode is { } m ? $"-SandboxMode {m}" : $"-Permissions {selected.Value}";
            throw Violation(parameter, $"the permission profile `{selected.Value}` is not allowed", allowed.Origin);
        }
        r.Warnings.Add($"Configured value for `permission_profile` is disallowed by requirements; falling back from `{selected.Value}` to required value `{fallback.Value}`. " +
            $"({selected.Value} is set by {Where(selected.Origin)}; allowed_permission_profiles is set by {Where(allowed.Origin)}.)");
        return fallback;
    }

    /// <summary>
    /// Checks the approval policy and the sandbox mode (a profile counts as the mode it projects onto) against the requirements;
    /// a disallowed configured value falls back (approval: the first allowed; mode: read-only, the profile dropped but its deny
    /// entries kept). Returns the profile's deny entries to keep when it was dropped.
    /// </summary>
    /// <exception cref="RequirementViolationException">A parameter asks for a disallowed mode, profile or approval policy.</exception>
    /// <exception cref="ConfigException">approval_policy = "never" with danger-full-access, when the requirements force read-only (Codex refuses it).</exception>
    public static IReadOnlyList<string> Constrain(Resolution r, SystemRequirements q, PolicyOverrides overrides,
        ref ProfilePolicy? permissions, ref SandboxMode mode, ref ApprovalPolicy approval, ref GranularApproval? granular)
    {
        var (policy, flags) = (approval, granular);
        if (q.AllowedApprovalPolicies is { } allowedApprovals && !allowedApprovals.Value.Any(a => a.Matches(policy, flags)))
        {
            var candidate = approval == ApprovalPolicy.Granular && granular is not null ? "{ " + granular + " }" : ConfigNames.Of(approval);
            if (overrides.ApprovalPolicy is { } asked)
            {
                throw Violation($"-ApprovalPolicy {asked}", $"approval_policy `{candidate}` is not allowed", allowedApprovals.Origin);
            }
            var first = allowedApprovals.Value[0];
            r.Warnings.Add($"Configured value for `approval_policy` is disallowed by requirements; falling back to required value {first}. " +
                $"Details: invalid value for `approval_policy`: `{candidate}` is not in the allowed set {allowedApprovals.Origin.Value} (set by {Where(allowedApprovals.Origin)}).");
            (approval, granular) = (first.Policy, first.Granular);
            r.Origins.Add(new PolicyOrigin("approval_policy", first.ToString(), PolicySource.Requirements, allowedApprovals.Origin.File, allowedApprovals.Origin.Line));
        }

        var spelled = ConfigNames.Of(mode);
        if (q.AllowsMode(spelled)) return [];
        var (setting, allowedSet) = q.AllowedSandboxModes is { } modes && !modes.Value.Contains(spelled, StringComparer.Ordinal)
            ? (modes.Origin, modes.Origin.Value)
            : (q.DenyRead!.Origin, "[read-only, workspace-write]");
        if (overrides.SandboxMode is not null || overrides.Permissions is not null)
        {
            var parameter = overrides.SandboxMode is { } m ? $"-SandboxMode {m}" : $"-Permissions {overrides.Permissions}";
            var what = permissions is null ? $"sandbox_mode `{spelled}` is not allowed" : $"the permission profile `{permissions.Id}` ({spelled}) is not allowed";
            throw Violation(parameter, what, setting);
        }
        var original = mode;
        r.Warnings.Add($"Configured value for `permission_profile` is disallowed by requirements; falling back to required value read-only. " +
            $"Details: invalid value for `sandbox_mode`: `{spelled}` is not in the allowed set {allowedSet} (set by {Where(setting)})." +
            (permissions is null ? "" : $" The permission profile `{permissions.Id}` no longer applies; its deny entries stay."));
        if (original == SandboxMode.DangerFullAccess && approval == ApprovalPolicy.Never)
        {
            throw new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, "RequirementConflict", setting.File ?? "", setting.Line, 0, "approval_policy",
                "`approval_policy = \"never\"` cannot be used because requirements do not allow `sandbox_mode = \"danger-full-access\"`; Codex would fall back to read-only " +
                "permissions with approvals disabled. Choose an `approval_policy` based on what you need, such as `on-request`, or choose an allowed sandbox mode.")]);
        }
        var kept = permissions?.DenyRead ?? [];
        permissions = null;
        mode = SandboxMode.ReadOnly;
        r.Origins.Add(new PolicyOrigin("sandbox_mode", "read-only", PolicySource.Requirements, setting.File, setting.Line));
        return kept;
    }

    /// <summary>
    /// What the requirements add on top of the resolved policy: <c>deny_read</c>, the managed network, the constraints and
    /// whether anything may run outside the sandbox.
    /// </summary>
    public static SandboxPolicy Apply(SandboxPolicy policy, SystemRequirements q)
    {
        var warnings = new List<string>(policy.Warnings);
        var denyRead = policy.DenyRead.Concat((q.DenyRead?.Value ?? []).Except(policy.DenyRead, StringComparer.Ordinal)).ToList();
        var network = policy.NetworkMode;
        var allowed = policy.AllowedDomains;
        var denied = policy.DeniedDomains;
        var localBinding = policy.AllowLocalBinding;
        if (q.Network is { Active: true } managed && policy.SandboxMode != SandboxMode.DangerFullAccess && network != NetworkMode.Off)
        {
            if (network == NetworkMode.On)
            {
                warnings.Add($"Network access goes through the allowlist proxy: [experimental_network] in {Where(managed.Origin)} manages the domains.");
            }
            var own = managed.ManagedAllowedDomainsOnly || network == NetworkMode.On ? [] : allowed;
            allowed = managed.AllowedDomains.Concat(own.Except(managed.AllowedDomains, StringComparer.Ordinal)).ToList();
            denied = denied.Concat(managed.DeniedDomains.Except(denied, StringComparer.Ordinal)).ToList();
            network = NetworkMode.Allowlist;
            if (managed.AllowLocalBinding == false) localBinding = false;
        }
        return policy with
        {
            DenyRead = denyRead,
            NetworkMode = network,
            AllowedDomains = allowed,
            DeniedDomains = denied,
            AllowLocalBinding = localBinding,
            RequirementsFile = q.Path,
            Requirements = q.Constraints,
            UnsandboxedAllowed = q.ForbidsUnsandboxed() is null,
            Warnings = warnings,
        };
    }

    private static RequirementViolationException Violation(string parameter, string what, PolicyOrigin requirement) =>
        new($"{parameter} is refused: {what} by the administrator's requirements ({requirement.Setting} = {requirement.Value} in {Where(requirement)}). " +
            "An explicit request is not silently changed, and -Force does not override a requirement; leave the parameter out to use what the requirements allow.",
            parameter, requirement);

    private static string Where(PolicyOrigin origin) => origin.Line > 0 ? $"{origin.File}:{origin.Line}" : origin.File ?? origin.Location;
}
