using System.Text;

namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>
/// Converts a deny_read path or glob into an anchored regular expression that Seatbelt's <c>(regex #"…")</c>
/// filter and .NET's Regex read the same way (the tests compile it with .NET to check sample paths).
/// </summary>
public static class SeatbeltGlob
{
    /// <summary>
    /// <c>*</c> → <c>[^/]*</c>, <c>?</c> → <c>[^/]</c>, <c>**/</c> → <c>(.*/)?</c>, <c>**</c> → <c>.*</c>,
    /// <c>[…]</c> stays a class (<c>!</c> negates), an unclosed <c>[</c> is literal; other regex characters are escaped.
    /// Unlike Codex, <c>(/.*)?</c> is appended to globs as well as literal paths: a matched folder hides its contents too.
    /// </summary>
    public static string ToRegex(string pattern)
    {
        if (pattern.IndexOfAny(['"', '\n', '\r', '\0']) >= 0)
            throw new ArgumentException($"deny_read entry '{pattern}' holds a quote or control character that a Seatbelt regex literal cannot carry.", nameof(pattern));
        var sb = new StringBuilder("^");
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '*')
            {
                var run = 1;
                while (i + run < pattern.Length && pattern[i + run] == '*') run++;
                if (run > 1)
                {
                    i += run;
                    if (i < pattern.Length && pattern[i] == '/') { sb.Append("(.*/)?"); i++; }
                    else sb.Append(".*");
                    continue;
                }
                sb.Append("[^/]*");
                i++;
                continue;
            }
            if (c == '?') { sb.Append("[^/]"); i++; continue; }
            if (c == '[')
            {
                var close = FindClassEnd(pattern, i);
                if (close < 0) { sb.Append(@"\["); i++; continue; }
                sb.Append('[');
                var j = i + 1;
                // A negated class must still not match the separator, like '*' and '?'.
                if (pattern[j] is '!' or '^') { sb.Append("^/"); j++; }
                for (; j < close; j++)
                {
                    // A backslash is literal in a POSIX class but an escape in .NET: doubling it means "backslash" in both.
                    if (pattern[j] == '\\') sb.Append(@"\\");
                    else if (pattern[j] == '[') sb.Append(@"\[");
                    else sb.Append(pattern[j]);
                }
                sb.Append(']');
                i = close + 1;
                continue;
            }
            if (@".^$+(){}|\]".Contains(c)) sb.Append('\\');
            sb.Append(c);
            i++;
        }
        if (!pattern.EndsWith("**", StringComparison.Ordinal)) sb.Append("(/.*)?");
        sb.Append('$');
        return sb.ToString();
    }

    /// <summary>True when the entry has glob characters; a plain path denies itself and everything under it.</summary>
    public static bool IsGlob(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>The part of the pattern before the first glob character, cut back to a whole path component.</summary>
    public static string StaticPrefix(string pattern)
    {
        var first = pattern.IndexOfAny(['*', '?', '[']);
        if (first < 0) return pattern;
        var slash = pattern.LastIndexOf('/', first);
        return slash <= 0 ? "/" : pattern[..slash];
    }

    /// <summary>
    /// The pattern with its static prefix canonicalized (<c>/tmp/**</c> → <c>/private/tmp/**</c>), or the pattern
    /// itself when canonicalization changes nothing.
    /// </summary>
    public static string CanonicalizePrefix(string pattern)
    {
        var prefix = StaticPrefix(pattern);
        var canonical = MacPath.Canonicalize(prefix);
        if (!IsGlob(pattern)) return canonical;
        var rest = pattern[prefix.Length..];
        return (canonical == "/" && rest.StartsWith('/') ? "" : canonical) + rest;
    }

    // The index of the ']' closing the class opened at 'open', or -1. A ']' right after '[' or '[!' is a member.
    private static int FindClassEnd(string pattern, int open)
    {
        var j = open + 1;
        if (j < pattern.Length && pattern[j] is '!' or '^') j++;
        if (j < pattern.Length && pattern[j] == ']') j++;
        for (; j < pattern.Length; j++)
        {
            if (pattern[j] == '/') return -1; // a class never spans a path separator
            if (pattern[j] == ']') return j;
        }
        return -1;
    }
}
