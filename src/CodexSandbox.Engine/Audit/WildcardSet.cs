using System.Text;
using System.Text.RegularExpressions;

namespace CodexSandbox.Engine.Audit;

/// <summary>PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[a-z]</c>, backtick escapes), case-insensitive; any pattern may match.</summary>
internal sealed class WildcardSet
{
    private readonly Regex[] _patterns;

    private WildcardSet(Regex[] patterns) => _patterns = patterns;

    public static WildcardSet? Create(IReadOnlyList<string>? patterns) =>
        patterns is null || patterns.Count == 0 ? null : new WildcardSet(patterns.Select(ToRegex).ToArray());

    public bool IsMatch(string? value)
    {
        if (value is null) return false;
        foreach (var pattern in _patterns) if (pattern.IsMatch(value)) return true;
        return false;
    }

    private static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '`' when i + 1 < pattern.Length: sb.Append(Regex.Escape(pattern[++i].ToString())); break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        sb.Append('[').Append(pattern.AsSpan(i + 1, close - i - 1).ToString().Replace("\\", "\\\\")).Append(']');
                        i = close;
                    }
                    else sb.Append("\\[");
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
