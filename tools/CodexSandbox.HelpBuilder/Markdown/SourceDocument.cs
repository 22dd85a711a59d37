namespace CodexSandbox.HelpBuilder.Markdown;

/// <summary>A markdown file split into front matter and blocks, each remembering its source line.</summary>
internal sealed record SourceDocument(
    string Path,
    IReadOnlyDictionary<string, FrontMatterEntry> FrontMatter,
    IReadOnlyList<MarkdownBlock> Blocks)
{
    public string? Front(string key) => FrontMatter.TryGetValue(key, out var e) ? e.Value : null;

    public int FrontLine(string key) => FrontMatter.TryGetValue(key, out var e) ? e.Line : 1;
}
