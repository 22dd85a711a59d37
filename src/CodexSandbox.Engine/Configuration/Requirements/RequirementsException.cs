namespace CodexSandbox.Engine.Configuration.Requirements;

/// <summary>
/// The administrator's <c>requirements.toml</c> cannot be used (it does not parse, a value has the wrong type or breaks one of
/// Codex's rules for the file). Nothing runs until it is fixed: running without it could allow what it forbids.
/// </summary>
public sealed class RequirementsException(IReadOnlyList<ConfigDiagnostic> errors) : Exception(Describe(errors))
{
    public IReadOnlyList<ConfigDiagnostic> Errors { get; } = errors;

    private static string Describe(IReadOnlyList<ConfigDiagnostic> errors)
    {
        var first = errors[0];
        var more = errors.Count > 1 ? $" (and {errors.Count - 1} more; Test-SandboxConfig lists them)" : "";
        return $"{first.Path}:{first.Line}:{first.Column}: {first.Message}{more} Nothing runs until the administrator fixes this requirements file.";
    }
}
