namespace CodexSandbox.Engine.Policy.Steps;

/// <summary><c>[shell_environment_policy]</c>: what the sandboxed command inherits of the caller's environment.</summary>
internal static class EnvironmentStep
{
    public static EnvironmentPolicy Policy(Resolution r) => new()
    {
        Inherit = r.Pick(l => l.EnvironmentInherit)?.Value ?? EnvironmentInherit.All,
        IgnoreDefaultExcludes = r.Pick(l => l.IgnoreDefaultExcludes)?.Value ?? false,
        Exclude = r.Pick(l => l.EnvironmentExclude)?.Value ?? [],
        Set = r.Pick(l => l.EnvironmentSet)?.Value ?? new Dictionary<string, string>(),
        IncludeOnly = r.Pick(l => l.EnvironmentIncludeOnly)?.Value ?? [],
    };
}
