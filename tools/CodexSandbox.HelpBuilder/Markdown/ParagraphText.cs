using System.Text;
using System.Text.RegularExpressions;

namespace CodexSandbox.HelpBuilder.Markdown;

/// <summary>Turns a paragraph's raw lines into the plain text Get-Help shows.</summary>
internal static partial class ParagraphText
{
    [GeneratedRegex(@"^\s*(?:[-*+]|\d+[.)])\s+")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex Placeholder();

    /// <summary>
    /// Soft-wrapped lines are joined with a space (Get-Help re-wraps to the console width), but list items
    /// and hard breaks (two trailing spaces or a backslash) keep their line break.
    /// </summary>
    public static string Join(IReadOnlyList<string> lines)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var raw = lines[i];
            var text = raw.Trim();
            if (text.EndsWith('\\')) text = text[..^1].TrimEnd();
            if (i > 0)
            {
                sb.Append(IsHardBreak(lines[i - 1]) || ListItem().IsMatch(raw) ? "\n" : " ");
            }
            sb.Append(ListItem().IsMatch(raw) ? raw.TrimEnd() : text);
        }
        return sb.ToString();
    }

    private static bool IsHardBreak(string line) =>
        line.EndsWith("  ", StringComparison.Ordinal) || line.TrimEnd().EndsWith('\\');

    /// <summary>platyPS templates leave <c>{{ Fill in ... }}</c> markers; shipping one is a documentation bug.</summary>
    public static bool HasPlaceholder(string text) => Placeholder().IsMatch(text);
}
