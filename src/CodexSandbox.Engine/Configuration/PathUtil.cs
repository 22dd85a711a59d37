namespace CodexSandbox.Engine.Configuration;

/// <summary>Path spelling helpers shared by config and policy.</summary>
public static class PathUtil
{
    public static string ExpandHome(string path, string home) =>
        path == "~" ? home :
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;

    /// <summary>Full path without a trailing separator (except the root).</summary>
    public static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd(Path.DirectorySeparatorChar) : full;
    }

    /// <summary>The path with symbolic links resolved as far as it exists; the missing tail is kept as written.</summary>
    public static string Canonical(string path)
    {
        var full = Normalize(path);
        var missing = new Stack<string>();
        var current = full;
        while (!Directory.Exists(current) && !File.Exists(current))
        {
            var parent = Path.GetDirectoryName(current);
            if (parent is null) return full;
            missing.Push(Path.GetFileName(current));
            current = parent;
        }
        string resolved;
        try
        {
            var info = new DirectoryInfo(current);
            resolved = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? ResolveParents(current);
        }
        catch (IOException) { resolved = current; }
        while (missing.Count > 0) resolved = Path.Combine(resolved, missing.Pop());
        return Normalize(resolved);
    }

    // A path whose last component is not a link may still have linked parents.
    private static string ResolveParents(string path)
    {
        var parent = Path.GetDirectoryName(path);
        if (parent is null) return path;
        var resolvedParent = Canonical(parent);
        return Path.Combine(resolvedParent, Path.GetFileName(path));
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies under it.</summary>
    public static bool IsUnder(string path, string root)
    {
        if (root == "/") return path.StartsWith('/');
        return path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
    }
}
