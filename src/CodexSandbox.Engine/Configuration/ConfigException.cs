namespace CodexSandbox.Engine.Configuration;

/// <summary>Config that cannot be used: a syntax error, a wrong type, an unknown value. Carries every error found.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigDiagnostic> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigDiagnostic> Errors { get; }

    /// <summary>True when at least one error is a TOML syntax error (the file did not parse at all).</summary>
    public bool IsSyntaxError => Errors.Any(e => e.Id == "SyntaxError");

    private static string Describe(IReadOnlyList<ConfigDiagnostic> errors)
    {
        var first = errors[0];
        var more = errors.Count > 1 ? $" (and {errors.Count - 1} more; run Test-SandboxConfig to list them)" : "";
        // an error about parameters has no file to point at
        return first.Path.Length == 0 ? first.Message + more : $"{first.Path}:{first.Line}:{first.Column}: {first.Message}{more}";
    }
}
