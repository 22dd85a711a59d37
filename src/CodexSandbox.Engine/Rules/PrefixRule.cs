using System.Text;

namespace CodexSandbox.Engine.Rules;

/// <summary>
/// One <c>prefix_rule</c>, indexed by its program. A first-position alternative list becomes one rule per program;
/// later positions keep their alternatives as "any of".
/// </summary>
public sealed class PrefixRule
{
    public PrefixRule(string program, IReadOnlyList<IReadOnlyList<string>> rest, RuleDecision decision, string? justification, string? sourceFile, int sourceLine)
    {
        Program = program;
        Rest = rest;
        Decision = decision;
        Justification = justification;
        SourceFile = sourceFile;
        SourceLine = sourceLine;
    }

    /// <summary>The first token (a program name or path).</summary>
    public string Program { get; }
    /// <summary>The later positions, each a list of accepted tokens.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rest { get; }
    public RuleDecision Decision { get; }
    public string? Justification { get; }
    public string? SourceFile { get; }
    public int SourceLine { get; }

    /// <summary>The number of tokens the pattern covers.</summary>
    public int Length => Rest.Count + 1;

    /// <summary>True when <paramref name="command"/> (with <paramref name="program"/> standing in for its first token) starts with this pattern.</summary>
    public bool Matches(string program, IReadOnlyList<string> command)
    {
        if (command.Count < Length || !string.Equals(program, Program, StringComparison.Ordinal)) return false;
        for (int i = 0; i < Rest.Count; i++)
        {
            var token = command[i + 1];
            var alternatives = Rest[i];
            bool any = false;
            for (int k = 0; k < alternatives.Count; k++)
            {
                if (string.Equals(alternatives[k], token, StringComparison.Ordinal)) { any = true; break; }
            }
            if (!any) return false;
        }
        return true;
    }

    /// <summary>The pattern as text, for example <c>git [push|fetch]</c>.</summary>
    public string PatternText
    {
        get
        {
            var sb = new StringBuilder(Program);
            foreach (var alt in Rest)
            {
                sb.Append(' ');
                if (alt.Count == 1) sb.Append(alt[0]);
                else sb.Append('[').Append(string.Join('|', alt)).Append(']');
            }
            return sb.ToString();
        }
    }

    public override string ToString() => $"{Decision.ToString().ToLowerInvariant()} {PatternText}";
}
