namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>The host's temporary folders: private per run unless <c>[sandbox_linux] tmp = "shared"</c>; the workspace-write
/// exclude flags decide whether they are writable.</summary>
internal static class TempStep
{
    public static TempPlan Resolve(Resolution r, SandboxMode mode)
    {
        bool shared = r.Pick(l => l.SharedTmp)?.Value ?? false;
        bool write = mode == SandboxMode.WorkspaceWrite;
        var excludeSlashTmp = write ? r.Pick(l => l.ExcludeSlashTmp) : null;
        var excludeTmpdir = write ? r.Pick(l => l.ExcludeTmpdirEnvVar) : null;
        return TempPlan.Resolve(mode, excludeSlashTmp?.Value is true, excludeTmpdir?.Value is true, shared, r.ParentEnvironment);
    }
}
