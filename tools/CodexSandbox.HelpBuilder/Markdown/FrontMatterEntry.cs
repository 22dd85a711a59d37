namespace CodexSandbox.HelpBuilder.Markdown;

/// <summary>A <c>key: value</c> line from the <c>---</c> front matter.</summary>
internal sealed record FrontMatterEntry(string Value, int Line);
