namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>
/// Path canonicalization for Seatbelt parameters. Seatbelt matches the resolved path, so a rule on
/// <c>/tmp/x</c> never matches: on macOS <c>/tmp</c>, <c>/var</c> and <c>/etc</c> are symlinks into <c>/private</c>.
/// </summary>
public static class MacPath
{
    private static readonly string[] PrivateLinks = ["/tmp", "/var", "/etc"];

    /// <summary>Lexical normalization (duplicate slashes, <c>.</c>, <c>..</c>, trailing slash), then the /private mapping.</summary>
    public static string Canonicalize(string path)
    {
        if (!path.StartsWith('/')) throw new ArgumentException($"Seatbelt needs absolute paths: '{path}'.", nameof(path));
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        var normal = "/" + string.Join('/', parts);
        foreach (var link in PrivateLinks)
        {
            if (normal == link || normal.StartsWith(link + "/", StringComparison.Ordinal)) return "/private" + normal;
        }
        return normal;
    }

    /// <summary>On a real Mac: resolve every symlink on the path (like realpath), then canonicalize; missing tails stay as written.</summary>
    public static string Resolve(string path)
    {
        var normal = Canonicalize(path);
        var existing = normal;
        var tail = "";
        while (existing != "/" && !Path.Exists(existing))
        {
            tail = "/" + Path.GetFileName(existing) + tail;
            existing = Path.GetDirectoryName(existing) ?? "/";
        }
        var resolved = new DirectoryInfo(existing).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? existing;
        var real = Path.GetFullPath(resolved);
        // ResolveLinkTarget only follows the last component; walk parents too.
        var parent = Path.GetDirectoryName(real);
        if (parent is not null && parent != "/" && parent != real)
        {
            var resolvedParent = Resolve(parent);
            real = resolvedParent.TrimEnd('/') + "/" + Path.GetFileName(real);
        }
        return Canonicalize(real + tail);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies under it (both canonical).</summary>
    public static bool IsUnder(string path, string root) =>
        path == root || root == "/" || path.StartsWith(root + "/", StringComparison.Ordinal);
}
