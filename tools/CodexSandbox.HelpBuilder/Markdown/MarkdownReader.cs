using System.Text.RegularExpressions;
using CodexSandbox.HelpBuilder.Diagnostics;

namespace CodexSandbox.HelpBuilder.Markdown;

/// <summary>
/// A deliberately small block reader for the subset of markdown the platyPS schema uses: front matter,
/// ATX headings, fenced code and paragraphs. Hand-written so every block keeps its exact source line.
/// </summary>
internal static partial class MarkdownReader
{
    [GeneratedRegex(@"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^( {0,3})(`{3,}|~{3,})[ \t]*([^`]*?)[ \t]*$")]
    private static partial Regex FenceOpen();

    public static SourceDocument Read(string path, DiagnosticList diagnostics) =>
        Parse(path, File.ReadAllText(path), diagnostics);

    public static SourceDocument Parse(string path, string text, DiagnosticList diagnostics)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var front = new Dictionary<string, FrontMatterEntry>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        if (lines.Length > 0 && lines[0].TrimEnd() == "---")
        {
            var close = Array.FindIndex(lines, 1, l => l.TrimEnd() == "---");
            if (close < 0)
            {
                diagnostics.Add(path, 1, "front matter opened with '---' is never closed");
                return new SourceDocument(path, front, []);
            }
            for (var f = 1; f < close; f++)
            {
                var line = lines[f];
                if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
                var colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    diagnostics.Add(path, f + 1, $"malformed front matter line '{line.Trim()}': expected 'key: value'");
                    continue;
                }
                var key = line[..colon].Trim();
                var value = Unquote(line[(colon + 1)..].Trim());
                if (!front.TryAdd(key, new FrontMatterEntry(value, f + 1)))
                    diagnostics.Add(path, f + 1, $"front matter key '{key}' appears twice");
            }
            i = close + 1;
        }

        var blocks = new List<MarkdownBlock>();
        List<string>? para = null;
        var paraLine = 0;
        void FlushParagraph()
        {
            if (para is { Count: > 0 }) blocks.Add(new ParagraphBlock(paraLine, para));
            para = null;
        }

        for (; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0)
            {
                FlushParagraph();
                continue;
            }
            var fence = FenceOpen().Match(line);
            if (fence.Success)
            {
                FlushParagraph();
                var indent = fence.Groups[1].Length;
                var marker = fence.Groups[2].Value;
                var content = new List<string>();
                var start = i;
                var closed = false;
                for (i++; i < lines.Length; i++)
                {
                    var t = lines[i].Trim();
                    if (t.Length >= marker.Length && t.All(c => c == marker[0]) && lines[i].Length - lines[i].TrimStart().Length <= 3)
                    {
                        closed = true;
                        break;
                    }
                    content.Add(RemoveIndent(lines[i], indent));
                }
                if (!closed) diagnostics.Add(path, start + 1, $"code fence '{marker}' is never closed");
                blocks.Add(new FenceBlock(start + 1, fence.Groups[3].Value.Trim(), content));
                continue;
            }
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                FlushParagraph();
                blocks.Add(new HeadingBlock(i + 1, heading.Groups[1].Length, heading.Groups[2].Value.Trim()));
                continue;
            }
            if (para is null)
            {
                para = [];
                paraLine = i + 1;
            }
            para.Add(line);
        }
        FlushParagraph();
        return new SourceDocument(path, front, blocks);
    }

    private static string RemoveIndent(string line, int indent)
    {
        var n = 0;
        while (n < indent && n < line.Length && line[n] == ' ') n++;
        return line[n..];
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
