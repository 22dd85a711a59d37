namespace CodexSandbox.Engine.Environment;

/// <summary>Case-insensitive glob matching with <c>*</c> and <c>?</c>, as Codex's env patterns use.</summary>
public static class WildcardMatcher
{
    public static bool IsMatch(string pattern, string text) => Match(pattern.AsSpan(), text.AsSpan());

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> t)
    {
        int pi = 0, ti = 0, star = -1, mark = 0;
        while (ti < t.Length)
        {
            if (pi < p.Length && (p[pi] == '?' || char.ToUpperInvariant(p[pi]) == char.ToUpperInvariant(t[ti])))
            {
                pi++; ti++;
            }
            else if (pi < p.Length && p[pi] == '*')
            {
                star = pi++; mark = ti;
            }
            else if (star >= 0)
            {
                pi = star + 1; ti = ++mark;
            }
            else return false;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }
}
