using CodexSandbox.HelpBuilder.Markdown;

namespace CodexSandbox.HelpBuilder.Parsing;

/// <summary>An H2 section's body cut at its H3 headings; <see cref="Preamble"/> is what precedes the first H3.</summary>
internal sealed record SectionBlocks(
    IReadOnlyList<MarkdownBlock> Preamble,
    IReadOnlyList<(HeadingBlock Heading, IReadOnlyList<MarkdownBlock> Body)> Entries)
{
    public static SectionBlocks Split(IReadOnlyList<MarkdownBlock> body)
    {
        var preamble = new List<MarkdownBlock>();
        var entries = new List<(HeadingBlock, IReadOnlyList<MarkdownBlock>)>();
        List<MarkdownBlock>? current = null;
        foreach (var block in body)
        {
            if (block is HeadingBlock { Level: 3 } h3)
            {
                current = [];
                entries.Add((h3, current));
            }
            else (current ?? preamble).Add(block);
        }
        return new SectionBlocks(preamble, entries);
    }

    /// <summary>The plain-text paragraphs of some blocks; code and minor headings become paragraphs too.</summary>
    public static List<string> Prose(IEnumerable<MarkdownBlock> blocks) =>
        [.. blocks.Select(b => b switch
        {
            ParagraphBlock p => ParagraphText.Join(p.Lines),
            FenceBlock f => f.Text,
            HeadingBlock h => h.Text,
            _ => "",
        }).Where(s => s.Length > 0)];
}
