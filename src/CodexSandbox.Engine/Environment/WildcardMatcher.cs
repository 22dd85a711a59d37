namespace CodexSandbox.Engine.Environment;

/// <summary>
/// Case-insensitive wildcard matching of a whole text, in one of two syntaxes: Codex's environment patterns
/// (<see cref="WildcardSyntax.Glob"/>) and PowerShell's (<see cref="WildcardSyntax.PowerShell"/>, for audit queries).
/// Matching walks the pattern directly, without a regex and without allocating.
/// </summary>
public sealed class WildcardMatcher
{
    private readonly string _pattern;
    private readonly WildcardSyntax _syntax;

    public WildcardMatcher(string pattern, WildcardSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _pattern = pattern;
        _syntax = syntax;
    }

    public bool IsMatch(string? text) => text is not null && Match(_pattern, text, _syntax == WildcardSyntax.PowerShell);

    /// <summary>Matches <paramref name="text"/> against a <see cref="WildcardSyntax.Glob"/> pattern.</summary>
    public static bool IsMatch(string pattern, string text) => Match(pattern, text, powerShell: false);

    /// <summary>True when any of <paramref name="matchers"/> matches <paramref name="text"/>.</summary>
    public static bool IsMatchAny(IReadOnlyList<WildcardMatcher> matchers, string? text)
    {
        foreach (var matcher in matchers)
        {
            if (matcher.IsMatch(text)) return true;
        }
        return false;
    }

    // Greedy with one backtrack point: a later '*' replaces the earlier one, which is enough because '*' matches any run.
    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> t, bool powerShell)
    {
        int pi = 0, ti = 0, star = -1, mark = 0;
        while (ti < t.Length)
        {
            if (pi < p.Length && p[pi] == '*')
            {
                star = ++pi;
                mark = ti;
            }
            else if (pi < p.Length && Element(p, pi, t[ti], powerShell) is var length and > 0)
            {
                pi += length;
                ti++;
            }
            else if (star >= 0)
            {
                pi = star;
                ti = ++mark;
            }
            else return false;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }

    // The length of the pattern element at pi when it matches c, else 0.
    private static int Element(ReadOnlySpan<char> p, int pi, char c, bool powerShell)
    {
        if (p[pi] == '?') return 1;
        if (powerShell)
        {
            // A trailing backtick is literal, as in PowerShell.
            if (p[pi] == '`' && pi + 1 < p.Length) return Same(p[pi + 1], c) ? 2 : 0;
            if (p[pi] == '[' && SetEnd(p, pi) is var end and > 0) return InSet(p[(pi + 1)..end], c) ? end - pi + 1 : 0;
        }
        return Same(p[pi], c) ? 1 : 0;
    }

    // The index of the ']' closing the set opened at open, or 0 when it is not a set (no close, or nothing in it): then '[' is literal.
    private static int SetEnd(ReadOnlySpan<char> p, int open)
    {
        for (int i = open + 1; i < p.Length; i++)
        {
            if (p[i] == '`') i++;
            else if (p[i] == ']') return i > open + 1 ? i : 0;
        }
        return 0;
    }

    // Members are characters and ranges a-z ('`' escapes one); a '-' first or last is literal; a reversed range matches nothing.
    private static bool InSet(ReadOnlySpan<char> set, char c)
    {
        for (int i = 0; i < set.Length; i++)
        {
            char low = set[i] == '`' && i + 1 < set.Length ? set[++i] : set[i];
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                i += 2;
                char high = set[i] == '`' && i + 1 < set.Length ? set[++i] : set[i];
                if (InRange(c, low, high)) return true;
            }
            else if (Same(low, c)) return true;
        }
        return false;
    }

    private static bool InRange(char c, char low, char high) =>
        (c >= low && c <= high) ||
        (char.ToUpperInvariant(c) is var upper && upper >= low && upper <= high) ||
        (char.ToLowerInvariant(c) is var lower && lower >= low && lower <= high);

    private static bool Same(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
