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
        var normal = Normalize(path);
        foreach (var link in PrivateLinks)
        {
            if (normal == link || normal.StartsWith(link + "/", StringComparison.Ordinal)) return "/private" + normal;
        }
        return normal;
    }

    /// <summary>Lexical normalization only: duplicate slashes, <c>.</c>, <c>..</c> and a trailing slash removed.</summary>
    public static string Normalize(string path)
    {
        if (!path.StartsWith('/')) throw new ArgumentException($"Seatbelt needs absolute paths: '{path}'.", nameof(path));
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>On a real Mac: resolve every symlink on the path (like realpath), then canonicalize; a missing tail stays as written.</summary>
    public static string Resolve(string path) => Canonicalize(ResolveLinks(Normalize(path)));

    private static string ResolveLinks(string normal)
    {
        if (normal == "/") return normal;
        var parent = ResolveLinks(Path.GetDirectoryName(normal) ?? "/");
        var here = (parent == "/" ? "" : parent) + "/" + Path.GetFileName(normal);
        var info = new FileInfo(here);
        if (info.LinkTarget is null) return here; // not a link, or missing: keep as written
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? here : ResolveLinks(Normalize(target.FullName));
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies under it (both canonical).</summary>
    public static bool IsUnder(string path, string root) =>
        path == root || root == "/" || path.StartsWith(root + "/", StringComparison.Ordinal);
}
