namespace CodexSandbox.HelpBuilder.Model;

/// <summary>An <c>### TypeName</c> under INPUTS or OUTPUTS.</summary>
internal sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);
