namespace CodexSandbox.Internal;

/// <summary>
/// Word wrapping for format views. A table column with &lt;Wrap/&gt; breaks its text every N characters, mid-word;
/// text given to it already in lines no wider than the column is shown as it is. Public only so the format views
/// (CodexSandbox.format.ps1xml) can call it.
/// </summary>
public static class TextWrap
{
    /// <summary>
    /// <paramref name="text"/> in lines of at most <paramref name="width"/> characters, broken at spaces; a word longer
    /// than a line is cut. Line breaks already in the text are kept.
    /// </summary>
    public static string Lines(string? text, int width)
    {
        if (string.IsNullOrEmpty(text) || width < 1) return text ?? "";
        var result = new System.Text.StringBuilder(text.Length + text.Length / width + 1);
        foreach (var paragraph in text.Split('\n'))
        {
            if (result.Length > 0) result.Append('\n');
            var line = 0;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var rest = word.AsSpan();
                if (line > 0 && line + 1 + rest.Length > width)
                {
                    result.Append('\n');
                    line = 0;
                }
                else if (line > 0)
                {
                    result.Append(' ');
                    line++;
                }
                while (rest.Length > width - line)
                {
                    var take = width - line;
                    result.Append(rest[..take]).Append('\n');
                    rest = rest[take..];
                    line = 0;
                }
                result.Append(rest);
                line += rest.Length;
            }
        }
        return result.ToString();
    }
}
