namespace CodexSandbox.Engine.Policy;

/// <summary>Why a policy lets nothing run outside the sandbox: the requirement that forbids it, as a reason to show.</summary>
public static class UnsandboxedRefusal
{
    private static readonly string[] s_settings = ["allowed_sandbox_modes", "permissions.filesystem.deny_read", "allowed_permission_profiles"];

    /// <summary>The reason, naming the requirement and its file:line; null when running outside the sandbox is allowed.</summary>
    public static string? For(SandboxPolicy policy)
    {
        if (policy.UnsandboxedAllowed) return null;
        var requirement = s_settings.Select(s => policy.Requirements.FirstOrDefault(o => o.Setting == s)).FirstOrDefault(o => o is not null);
        var where = requirement is null ? policy.RequirementsFile ?? "requirements.toml"
            : $"{requirement.Setting} = {requirement.Value} in {requirement.File}:{requirement.Line}";
        return $"the administrator's requirements do not allow running outside the sandbox ({where}); -Force does not override a requirement";
    }
}
