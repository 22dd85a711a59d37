namespace CodexSandbox;

/// <summary>The decision an exec-policy <c>prefix_rule</c> gives; later values are stricter.</summary>
public enum RuleDecision
{
    Allow,
    Prompt,
    Forbidden,
}
