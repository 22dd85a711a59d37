namespace CodexSandbox.Engine.Configuration.Requirements;

/// <summary>
/// A cmdlet parameter asked for something the administrator's <c>requirements.toml</c> does not allow. An explicit request is
/// refused rather than silently changed; <c>-Force</c> does not override it.
/// </summary>
public sealed class RequirementViolationException(string message, string parameter, PolicyOrigin requirement) : UnauthorizedAccessException(message)
{
    /// <summary>The parameter that asked, for example <c>-SandboxMode</c>.</summary>
    public string Parameter { get; } = parameter;
    /// <summary>The requirement that refuses it, with its file and line.</summary>
    public PolicyOrigin Requirement { get; } = requirement;
}
