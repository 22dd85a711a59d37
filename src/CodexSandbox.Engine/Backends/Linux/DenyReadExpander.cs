namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>Turns deny_read entries (paths or globs) into the existing paths to mask before launch.</summary>
public static class DenyReadExpander
{
    public const int MaxMatches = 8192;

    public static IReadOnlyList<string> Expand(IEnumerable<string> patterns)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            if (pattern.IndexOfAny(['*', '?', '[']) < 0)
            {
                var trimmed = pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
                if (File.Exists(trimmed) || Directory.Exists(trimmed)) result.Add(trimmed);
                continue;
            }
            var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
            // A glob at the root ("/*") would mask the whole system: too broad, as Codex also says.
            if (parts.Length == 0 || IsGlob(parts[0])) continue;
            Walk("/", parts, 0, result);
            if (result.Count >= MaxMatches) break;
        }
        // Masks and Landlock rules need the real path: bwrap cannot mount over a symbolic link, and a rule through a
        // link would land on its target anyway.
        return result.Take(MaxMatches).Select(Configuration.PathUtil.Canonical).Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool IsGlob(string part) => part.IndexOfAny(['*', '?', '[']) >= 0;

    private static void Walk(string dir, string[] parts, int index, SortedSet<string> result)
    {
        if (result.Count >= MaxMatches) return;
        if (index == parts.Length)
        {
            if (dir != "/") result.Add(dir);
            return;
        }
        var part = parts[index];
        if (part == "**")
        {
            Walk(dir, parts, index + 1, result);
            foreach (var sub in SafeDirectories(dir)) Walk(sub, parts, index, result);
            return;
        }
        if (!IsGlob(part))
        {
            var next = Path.Combine(dir, part);
            if (Directory.Exists(next) || (index == parts.Length - 1 && File.Exists(next))) Walk(next, parts, index + 1, result);
            return;
        }
        foreach (var entry in SafeEntries(dir))
        {
            if (!GlobPart(part, Path.GetFileName(entry))) continue;
            if (index == parts.Length - 1 || Directory.Exists(entry)) Walk(entry, parts, index + 1, result);
        }
    }

    // Case-sensitive, as Linux paths are: *, ? and [..] classes ([!..] negates).
    private static bool GlobPart(string pattern, string name) => ClassMatch(pattern, 0, name, 0);

    private static bool ClassMatch(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            char c = p[pi];
            if (c == '*')
            {
                for (int k = si; k <= s.Length; k++) if (ClassMatch(p, pi + 1, s, k)) return true;
                return false;
            }
            if (si >= s.Length) return false;
            if (c == '?') { pi++; si++; continue; }
            if (c == '[')
            {
                int close = p.IndexOf(']', pi + 1);
                if (close < 0) { if (s[si] != '[') return false; pi++; si++; continue; }
                var set = p[(pi + 1)..close];
                bool negate = set.StartsWith('!') || set.StartsWith('^');
                if (negate) set = set[1..];
                bool hit = false;
                for (int i = 0; i < set.Length; i++)
                {
                    if (i + 2 < set.Length && set[i + 1] == '-') { hit |= s[si] >= set[i] && s[si] <= set[i + 2]; i += 2; }
                    else hit |= s[si] == set[i];
                }
                if (hit == negate) return false;
                pi = close + 1; si++;
                continue;
            }
            if (c != s[si]) return false;
            pi++; si++;
        }
        return si == s.Length;
    }

    private static IEnumerable<string> SafeEntries(string dir)
    {
        try { return Directory.EnumerateFileSystemEntries(dir).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    private static IEnumerable<string> SafeDirectories(string dir)
    {
        try
        {
            return new DirectoryInfo(dir).EnumerateDirectories()
                .Where(d => !d.Attributes.HasFlag(FileAttributes.ReparsePoint)) // never follow links while walking
                .Select(d => d.FullName).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }
}
