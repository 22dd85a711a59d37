using System.Text;
using System.Text.RegularExpressions;
using CodexSandbox.HelpBuilder.Diagnostics;
using CodexSandbox.HelpBuilder.Markdown;

namespace CodexSandbox.HelpBuilder.About;

/// <summary>
/// Converts <c>about_X.help.md</c> to the plain-text <c>about_X.help.txt</c> Get-Help prints: upper-case section
/// titles at column 0, body indented 4 and wrapped, code kept verbatim. Get-Help's topic list takes the
/// synopsis from the text under SHORT DESCRIPTION, so that section is mandatory.
/// </summary>
internal static partial class AboutTopicConverter
{
    public const int Width = 80;
    private const string Indent = "    ";

    [GeneratedRegex(@"\[([^\]]*)\]\(([^)\s]*)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^(\s*)([-*+]|\d+[.)])\s+(.*)$")]
    private static partial Regex ListItem();

    /// <summary>The topic name for a source path: <c>about_X.help.md</c> → <c>about_X</c>.</summary>
    public static string TopicName(string path)
    {
        var file = Path.GetFileName(path);
        return file[..^".help.md".Length];
    }

    public static string? Convert(SourceDocument doc, DiagnosticList diagnostics)
    {
        var path = doc.Path;
        var topic = TopicName(path);
        var before = diagnostics.Items.Count;
        var blocks = doc.Blocks;
        if (blocks.Count == 0 || blocks[0] is not HeadingBlock { Level: 1 } h1)
        {
            diagnostics.Add(path, blocks.Count == 0 ? 1 : blocks[0].Line, $"an about page starts with '# {topic}'");
            return null;
        }
        if (!h1.Text.Equals(topic, StringComparison.OrdinalIgnoreCase))
            diagnostics.Add(path, h1.Line, $"heading '# {h1.Text}' does not match the file name '{topic}.help.md'");

        // Sections are H1 or H2 headings (platyPS v1's about template uses '# SHORT DESCRIPTION',
        // newer pages use '##'); its '## about_X' line that only repeats the topic is skipped.
        var sections = new List<(HeadingBlock Heading, List<MarkdownBlock> Body)>();
        for (var i = 1; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b is HeadingBlock { Level: <= 2 } h)
            {
                if (h.Text.Equals(topic, StringComparison.OrdinalIgnoreCase)) continue;
                sections.Add((h, []));
            }
            else if (sections.Count == 0) diagnostics.Add(path, b.Line, "text before the first section heading");
            else sections[^1].Body.Add(b);
        }
        var titles = sections.Select(s => s.Heading.Text.ToUpperInvariant()).ToList();
        foreach (var required in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION" })
            if (!titles.Contains(required)) diagnostics.Add(path, h1.Line, $"missing '## {required}' section");
        for (var i = 0; i < titles.Count; i++)
            if (titles.IndexOf(titles[i]) != i) diagnostics.Add(path, sections[i].Heading.Line, $"section '{titles[i]}' appears twice");
        if (titles.IndexOf("SHORT DESCRIPTION") is var s && titles.IndexOf("LONG DESCRIPTION") is var l && s > l && l >= 0)
            diagnostics.Add(path, sections[s].Heading.Line, "SHORT DESCRIPTION must come before LONG DESCRIPTION");
        foreach (var section in sections)
        {
            if (section.Body.Count == 0) diagnostics.Add(path, section.Heading.Line, $"section '{section.Heading.Text}' is empty");
            foreach (var p in section.Body.OfType<ParagraphBlock>())
                if (ParagraphText.HasPlaceholder(string.Join(" ", p.Lines)))
                    diagnostics.Add(path, p.Line, "unfilled platyPS placeholder '{{ ... }}'");
        }
        if (diagnostics.Items.Count > before) return null;

        var output = new StringBuilder();
        output.Append("TOPIC\n").Append(Indent).Append(topic).Append('\n');
        foreach (var (heading, body) in sections)
        {
            output.Append('\n').Append(heading.Text.ToUpperInvariant()).Append('\n');
            var first = true;
            foreach (var block in body)
            {
                if (!first) output.Append('\n');
                first = false;
                switch (block)
                {
                    case HeadingBlock sub:
                        // Subsections stay visible in plain text through an underline.
                        output.Append(Indent).Append(sub.Text).Append('\n');
                        output.Append(Indent).Append(new string('-', sub.Text.Length)).Append('\n');
                        first = true;
                        break;
                    case FenceBlock code:
                        foreach (var line in code.Content)
                            output.Append((Indent + Indent + line).TrimEnd()).Append('\n');
                        break;
                    case ParagraphBlock para:
                        AppendParagraph(output, para.Lines);
                        break;
                }
            }
        }
        return output.ToString();
    }

    private static void AppendParagraph(StringBuilder output, IReadOnlyList<string> lines)
    {
        // Tables keep their columns; wrapping would destroy them.
        if (lines.All(l => l.TrimStart().StartsWith('|')))
        {
            foreach (var l in lines) output.Append(Indent).Append(Inline(l.Trim())).Append('\n');
            return;
        }
        var text = ParagraphText.Join(lines);
        foreach (var logical in text.Split('\n'))
        {
            var item = ListItem().Match(logical);
            if (item.Success)
            {
                var nest = item.Groups[1].Value.Length;
                var marker = item.Groups[2].Value + " ";
                var lead = Indent + new string(' ', nest);
                Wrap(output, Inline(item.Groups[3].Value), lead + marker, lead + new string(' ', marker.Length));
            }
            else Wrap(output, Inline(logical.TrimStart('>', ' ')), Indent, Indent);
        }
    }

    /// <summary>Markdown inline syntax that reads badly as text: links become their text (plus address if absolute), bold markers go.</summary>
    private static string Inline(string text)
    {
        text = Link().Replace(text, m =>
        {
            var label = m.Groups[1].Value;
            var uri = m.Groups[2].Value;
            var absolute = Uri.TryCreate(uri, UriKind.Absolute, out var u) && (u.Scheme == "http" || u.Scheme == "https");
            if (label.Length == 0) return uri;
            return absolute && label != uri ? $"{label} ({uri})" : label;
        });
        // Only '**': '__' and single '*' occur in real names ($__x, *.ps1).
        return text.Replace("**", "", StringComparison.Ordinal);
    }

    private static void Wrap(StringBuilder output, string text, string firstIndent, string restIndent)
    {
        var line = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                output.Append(line).Append('\n');
                line.Clear().Append(restIndent);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        if (!empty) output.Append(line).Append('\n');
    }
}
