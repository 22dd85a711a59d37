using CodexSandbox.Engine.Policy.Layers;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Configuration.Requirements;

/// <summary>
/// The administrator's constraints for every user of the machine: <c>requirements.toml</c> in the system folder
/// (<c>/etc/codex</c>, <c>%ProgramData%\OpenAI\Codex</c>; codex-config-2026.md §6). Each value keeps the line that set it,
/// so a fallback or a refusal can name it.
/// </summary>
public sealed class SystemRequirements
{
    public required string Path { get; init; }
    /// <summary><c>allowed_sandbox_modes</c> as written (<c>read-only</c>, <c>workspace-write</c>, <c>danger-full-access</c>, <c>external-sandbox</c>).</summary>
    public Sourced<IReadOnlyList<string>>? AllowedSandboxModes { get; init; }
    /// <summary><c>allowed_approval_policies</c>; the first one is the fallback.</summary>
    public Sourced<IReadOnlyList<AllowedApproval>>? AllowedApprovalPolicies { get; init; }
    /// <summary><c>[allowed_permission_profiles]</c>: only ids mapped to true are allowed. Its presence forces permission profiles on.</summary>
    public Sourced<IReadOnlyDictionary<string, bool>>? AllowedPermissionProfiles { get; init; }
    /// <summary>The managed <c>default_permissions</c>: the profile used when none is chosen, and the fallback for a disallowed one.</summary>
    public Sourced<string>? DefaultPermissions { get; init; }
    /// <summary>Managed <c>[permissions.&lt;id&gt;]</c> profiles, in the same schema as config.toml's.</summary>
    public IReadOnlyDictionary<string, PermissionsTable> Permissions { get; init; } = new Dictionary<string, PermissionsTable>(StringComparer.Ordinal);
    /// <summary><c>[permissions.filesystem] deny_read</c>: absolute paths or globs (relative ones resolved against the file's folder).</summary>
    public Sourced<IReadOnlyList<string>>? DenyRead { get; init; }
    /// <summary><c>[rules] prefix_rules</c>: prompt and forbidden rules laid over the user's rules.</summary>
    public IReadOnlyList<PrefixRule> PrefixRules { get; init; } = [];
    /// <summary><c>[experimental_network]</c>, or null.</summary>
    public RequiredNetwork? Network { get; init; }
    /// <summary>Every constraint as written, with its line, for <c>Get-SandboxPolicy</c>.</summary>
    public IReadOnlyList<PolicyOrigin> Constraints { get; init; } = [];
    /// <summary>Syntax errors, wrong types, values Codex refuses (errors), and unknown keys (warnings).</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>True when the file cannot be used; then nothing runs (fail closed).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>True when <paramref name="mode"/> (a config spelling) is allowed by <c>allowed_sandbox_modes</c>, and by <c>deny_read</c>
    /// (which allows only read-only and workspace-write while it lists anything).</summary>
    public bool AllowsMode(string mode) =>
        (AllowedSandboxModes is null || AllowedSandboxModes.Value.Contains(mode, StringComparer.Ordinal))
        && (DenyRead is not { Value.Count: > 0 } || mode is "read-only" or "workspace-write");

    /// <summary>True when <paramref name="id"/> is mapped to true in <c>[allowed_permission_profiles]</c> (or there is no such table).</summary>
    public bool AllowsProfile(string id) => AllowedPermissionProfiles is null || AllowedPermissionProfiles.Value.GetValueOrDefault(id);

    /// <summary>
    /// The requirement that keeps every command inside the sandbox, or null when running outside it is allowed: danger-full-access
    /// missing from <c>allowed_sandbox_modes</c>, a non-empty <c>deny_read</c>, or <c>:danger-full-access</c> not allowed as a profile.
    /// </summary>
    public PolicyOrigin? ForbidsUnsandboxed()
    {
        if (AllowedSandboxModes is { } modes && !modes.Value.Contains("danger-full-access", StringComparer.Ordinal)) return modes.Origin;
        if (DenyRead is { Value.Count: > 0 } deny) return deny.Origin;
        if (AllowedPermissionProfiles is { } profiles && !profiles.Value.GetValueOrDefault(":danger-full-access")) return profiles.Origin;
        return null;
    }
}
