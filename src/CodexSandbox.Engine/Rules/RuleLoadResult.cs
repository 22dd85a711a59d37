namespace CodexSandbox.Engine.Rules;

/// <summary>
/// The rules of every layer, the files read, and a diagnostic for each file that could not be used. A broken file
/// fails closed: the rule set of a load with any error is never handed out, because the rules that did load could let
/// through what the broken file forbids.
/// </summary>
public sealed class RuleLoadResult
{
    private readonly RuleSet _rules;

    public RuleLoadResult(RuleSet rules, IReadOnlyList<string> files, IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        _rules = rules;
        Files = files;
        Diagnostics = diagnostics;
        Errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    /// <summary>The files that loaded.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every problem found, in load order.</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }

    /// <summary>The problems that make the rules unusable (a file that cannot be read, parsed, or whose examples fail).</summary>
    public IReadOnlyList<ConfigDiagnostic> Errors { get; }

    /// <summary>True when the rule set can be used.</summary>
    public bool IsUsable => Errors.Count == 0;

    /// <summary>The rules of every file; throws <see cref="RulesLoadException"/> when any file is broken (fail closed).</summary>
    public RuleSet GetRules() => IsUsable ? _rules : throw new RulesLoadException(Errors);
}
