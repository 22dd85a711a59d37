namespace CodexSandbox.HelpBuilder.Model;

/// <summary>An <c>### Example</c>: its title, the fenced code joined by blank lines, and the prose.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);
