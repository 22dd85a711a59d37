namespace CodexSandbox.Engine.Rules;

/// <summary>The rules of every layer that loaded, the files read, and a diagnostic for each file that did not.</summary>
public sealed record RuleLoadResult(RuleSet Rules, IReadOnlyList<string> Files, IReadOnlyList<ConfigDiagnostic> Diagnostics);
