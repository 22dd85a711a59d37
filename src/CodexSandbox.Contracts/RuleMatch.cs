namespace CodexSandbox;

/// <summary>One exec-policy <c>prefix_rule</c> that matched a command.</summary>
public sealed class RuleMatch
{
    public RuleMatch(string pattern, IReadOnlyList<string> matchedPrefix, RuleDecision decision, string? justification,
        string? sourceFile, int sourceLine, string? resolvedProgram)
    {
        Pattern = pattern;
        MatchedPrefix = matchedPrefix;
        Decision = decision;
        Justification = justification;
        SourceFile = sourceFile;
        SourceLine = sourceLine;
        ResolvedProgram = resolvedProgram;
    }

    /// <summary>The rule's pattern, alternatives shown as <c>[a|b]</c>, for example <c>git [push|fetch]</c>.</summary>
    public string Pattern { get; }
    /// <summary>The command tokens the pattern matched.</summary>
    public IReadOnlyList<string> MatchedPrefix { get; }
    public RuleDecision Decision { get; }
    public string? Justification { get; }
    /// <summary>The <c>.rules</c> file holding the rule.</summary>
    public string? SourceFile { get; }
    /// <summary>The 1-based line of the <c>prefix_rule</c> call, or 0.</summary>
    public int SourceLine { get; }
    /// <summary>The absolute program path when the rule matched through its basename.</summary>
    public string? ResolvedProgram { get; }

    /// <summary><c>file:line</c> of the rule.</summary>
    public string Source => SourceFile is null ? "" : SourceLine > 0 ? $"{SourceFile}:{SourceLine}" : SourceFile;

    public override string ToString() => $"{Decision.ToString().ToLowerInvariant()} {Pattern} ({Source})";
}
