namespace CodexSandbox.HelpBuilder.Markdown;

/// <summary>A top-level markdown block with the 1-based line it starts on.</summary>
internal abstract record MarkdownBlock(int Line);

/// <summary>An ATX heading (<c>## Text</c>).</summary>
internal sealed record HeadingBlock(int Line, int Level, string Text) : MarkdownBlock(Line);

/// <summary>A fenced code block; <see cref="Info"/> is the word after the fence (e.g. <c>yaml</c>).</summary>
internal sealed record FenceBlock(int Line, string Info, IReadOnlyList<string> Content) : MarkdownBlock(Line)
{
    public string Text => string.Join("\n", Content);
}

/// <summary>Consecutive non-blank lines; kept raw so list items and hard breaks survive.</summary>
internal sealed record ParagraphBlock(int Line, IReadOnlyList<string> Lines) : MarkdownBlock(Line);
