namespace CodexSandbox.HelpBuilder.Model;

/// <summary>A parameter set as it appears in the syntax: its members already in Position order.</summary>
internal sealed record ParameterSetHelp(string Name, bool IsDefault, IReadOnlyList<ParameterHelp> Parameters);
