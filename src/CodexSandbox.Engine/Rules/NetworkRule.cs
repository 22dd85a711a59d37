namespace CodexSandbox.Engine.Rules;

/// <summary>One <c>network_rule</c>: a host (normalised), a protocol and a decision (<c>deny</c> is stored as Forbidden).</summary>
public sealed record NetworkRule(string Host, string Protocol, RuleDecision Decision, string? Justification, string? SourceFile, int SourceLine);
