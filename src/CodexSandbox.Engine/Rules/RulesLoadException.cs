namespace CodexSandbox.Engine.Rules;

/// <summary>
/// A <c>.rules</c> file in effect cannot be used (it cannot be read or parsed, or its <c>match</c>/<c>not_match</c>
/// examples fail), so no command may be decided until it is fixed. <see cref="Errors"/> has the file, line and column of each problem.
/// </summary>
public sealed class RulesLoadException : Exception
{
    public RulesLoadException(IReadOnlyList<ConfigDiagnostic> errors)
        : base(Describe(errors))
    {
        if (errors.Count == 0) throw new ArgumentException("At least one error is needed.", nameof(errors));
        Errors = errors;
    }

    public IReadOnlyList<ConfigDiagnostic> Errors { get; }

    /// <summary>The kind of the first problem: <c>SyntaxError</c>, <c>InvalidRule</c>, <c>ExampleFailed</c> or <c>ReadError</c>.</summary>
    public string Kind => Errors[0].Id;

    private static string Describe(IReadOnlyList<ConfigDiagnostic> errors)
    {
        if (errors.Count == 0) return "No rules error.";
        var first = errors[0];
        var more = errors.Count > 1 ? $" (and {errors.Count - 1} more; run Test-SandboxConfig to list them)" : "";
        return $"{first.Path}:{first.Line}:{first.Column}: {first.Message}{more}";
    }
}
