namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// Pure path handling for Windows plans, usable on any OS. Paths with a drive letter or a leading <c>\\</c>
/// are Windows paths; anything else is kept in its own (POSIX) style so a plan for a local folder can be
/// reviewed, and tested, on Linux.
/// </summary>
public static class WindowsPath
{
    public static bool IsWindowsStyle(string path) =>
        (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':') || path.StartsWith(@"\\", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal);

    /// <summary>Separators unified, <c>.</c> and <c>..</c> resolved, duplicate and trailing separators removed, drive letter upper-cased.</summary>
    public static string Normalize(string path)
    {
        if (!IsWindowsStyle(path))
        {
            if (!path.StartsWith('/')) throw new ArgumentException($"An absolute path is needed: '{path}'.", nameof(path));
            return "/" + string.Join('/', Resolve(path.Split('/', StringSplitOptions.RemoveEmptyEntries)));
        }
        var p = path.Replace('/', '\\');
        string prefix;
        string rest;
        if (p.StartsWith(@"\\?\", StringComparison.Ordinal) || p.StartsWith(@"\\.\", StringComparison.Ordinal)) { prefix = p[..4]; rest = p[4..]; }
        else if (p.StartsWith(@"\\", StringComparison.Ordinal)) { prefix = @"\\"; rest = p[2..]; }
        else { prefix = char.ToUpperInvariant(p[0]) + @":\"; rest = p[2..]; }
        var parts = Resolve(rest.Split('\\', StringSplitOptions.RemoveEmptyEntries));
        if (prefix.Length == 4 && parts.Count > 0 && parts[0].Length == 2 && parts[0][1] == ':')
            parts[0] = char.ToUpperInvariant(parts[0][0]) + ":";
        var joined = prefix + string.Join('\\', parts);
        return prefix.Length == 4 && parts.Count == 1 && parts[0].EndsWith(':') ? joined + "\\" : joined;
    }

    /// <summary>The key that identifies a folder regardless of case and separators (NTFS compares names case-insensitively).</summary>
    public static string CanonicalKey(string path) => Normalize(path).Replace('/', '\\').ToLowerInvariant();

    public static string Join(string directory, string name)
    {
        var sep = IsWindowsStyle(directory) ? '\\' : '/';
        return directory.EndsWith(sep) ? directory + name : directory + sep + name;
    }

    public static string? Parent(string path)
    {
        var normal = Normalize(path);
        var sep = IsWindowsStyle(normal) ? '\\' : '/';
        var cut = normal.TrimEnd(sep).LastIndexOf(sep);
        if (cut < 0) return null;
        var parent = normal[..cut];
        if (parent.Length == 0) return sep == '/' ? "/" : null;
        return parent.EndsWith(':') ? parent + "\\" : parent;
    }

    public static string FileName(string path)
    {
        var normal = Normalize(path);
        var cut = normal.LastIndexOfAny(['\\', '/']);
        return cut < 0 ? normal : normal[(cut + 1)..];
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it, ignoring case.</summary>
    public static bool IsUnder(string path, string root)
    {
        var p = CanonicalKey(path);
        var r = CanonicalKey(root).TrimEnd('\\');
        return p == r || p.StartsWith(r + "\\", StringComparison.Ordinal);
    }

    private static List<string> Resolve(IEnumerable<string> parts)
    {
        var result = new List<string>();
        foreach (var part in parts)
        {
            if (part == ".") continue;
            if (part == "..") { if (result.Count > 0) result.RemoveAt(result.Count - 1); continue; }
            result.Add(part);
        }
        return result;
    }
}
