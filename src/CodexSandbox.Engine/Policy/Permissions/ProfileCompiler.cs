using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Policy.Permissions;

/// <summary>
/// Expands a profile's filesystem entries (codex-config-2026.md §2.3): the special paths, <c>~</c>, scoped tables and
/// deny globs become absolute paths and patterns; read and write globs are accepted only as a trailing <c>/**</c>.
/// </summary>
internal static class ProfileCompiler
{
    /// <summary>Linux's platform read defaults, <c>:minimal</c>.</summary>
    public static readonly IReadOnlyList<string> MinimalPaths = ["/bin", "/sbin", "/usr", "/etc", "/lib", "/lib64", "/nix/store", "/run/current-system/sw"];

    public sealed record Context(string Id, string WorkingDirectory, IReadOnlyList<string> AddedRoots, string Home, string? TmpDir);

    /// <summary>The entries, the workspace roots, and the warnings (unknown special paths, unbounded deny globs, no entries).</summary>
    /// <exception cref="ConfigException">A path that is not absolute, a bad subpath, nesting under a token, or a read/write glob.</exception>
    public static (List<CompiledEntry> Entries, List<string> WorkspaceRoots, List<string> Warnings) Compile(ProfileSpec spec, Context context)
    {
        var warnings = new List<string>();
        var workspaceRoots = new List<string> { context.WorkingDirectory };
        workspaceRoots.AddRange(context.AddedRoots);
        foreach (var (path, on) in spec.WorkspaceRoots)
        {
            if (on.Value) workspaceRoots.Add(Path.GetFullPath(PathUtil.ExpandHome(path, context.Home), context.WorkingDirectory));
        }
        workspaceRoots = workspaceRoots.Select(PathUtil.Normalize).Distinct(StringComparer.Ordinal).ToList();

        var entries = new List<CompiledEntry>();
        bool recognised = false;
        foreach (var (key, value) in spec.Filesystem)
        {
            if (value.Scoped is { } scoped)
            {
                IReadOnlyList<string> bases;
                if (key == ":workspace_roots") bases = workspaceRoots;
                else if (key.StartsWith(':'))
                {
                    if (!Known(key)) { warnings.Add(UnknownToken(key)); continue; }
                    throw ProfileChain.Error(scoped.Values.First().Origin, "NestedEntries", $"filesystem path `{key}` does not support nested entries");
                }
                else bases = [Absolute(key, scoped.Values.First().Origin, context)];
                foreach (var (sub, access) in scoped)
                {
                    if (sub != "." && (Path.IsPathRooted(sub) || sub.Split('/').Any(part => part is "." or ".." or "")))
                    {
                        throw ProfileChain.Error(access.Origin, "BadSubpath", $"filesystem subpath `{sub}` must be a descendant path without `.` or `..` components");
                    }
                    recognised = true;
                    foreach (var root in bases)
                    {
                        var full = sub == "." ? root : Path.Combine(root, sub);
                        entries.Add(Entry(full, access.Value, access.Origin, key == ":workspace_roots" ? key : null));
                    }
                }
                continue;
            }
            var single = value.Access!;
            IReadOnlyList<string> paths;
            switch (key)
            {
                case ":root": paths = ["/"]; break;
                case ":minimal": paths = MinimalPaths.Where(p => Directory.Exists(p) || File.Exists(p)).ToList(); break;
                case ":workspace_roots": paths = workspaceRoots; break;
                case ":tmpdir": paths = context.TmpDir is { Length: > 0 } tmp ? [PathUtil.Normalize(tmp)] : []; break;
                case ":slash_tmp": paths = Directory.Exists("/tmp") ? ["/tmp"] : []; break;
                default:
                    if (key.StartsWith(':')) { warnings.Add(UnknownToken(key)); continue; }
                    paths = [Absolute(key, single.Origin, context)];
                    break;
            }
            recognised = true;
            foreach (var path in paths) entries.Add(Entry(path, single.Value, single.Origin, key.StartsWith(':') ? key : null));
        }

        if (!recognised)
        {
            warnings.Add($"Permissions profile `{context.Id}` does not define any recognized filesystem entries; nothing is readable or writable under it.");
        }
        if (spec.GlobScanMaxDepth is null && entries.Any(e => e.IsGlob && e.Path.Contains("**", StringComparison.Ordinal)))
        {
            warnings.Add($"Permissions profile `{context.Id}` has a deny glob with `**` and no glob_scan_max_depth: on Linux it is expanded as deep as the tree goes when the sandbox starts. " +
                "Set glob_scan_max_depth in the filesystem table, or write explicit depths such as `*.env`, `*/*.env`.");
        }
        return (entries, workspaceRoots, warnings);
    }

    private static CompiledEntry Entry(string path, string access, PolicyOrigin origin, string? token)
    {
        var kind = access switch { "write" => FileAccess.Write, "deny" => FileAccess.Deny, _ => FileAccess.Read };
        if (!IsGlob(path)) return new CompiledEntry(Trim(path), kind, false, origin, token);
        if (kind == FileAccess.Deny) return new CompiledEntry(path, kind, true, origin, token);
        // `/**` means the whole subtree: the plain path
        if (path.EndsWith("/**", StringComparison.Ordinal) && !IsGlob(path[..^3])) return new CompiledEntry(Trim(path[..^3]), kind, false, origin, token);
        throw ProfileChain.Error(origin, "GlobAccess",
            $"filesystem glob path `{path}` only supports `deny` access; use an exact path or trailing `/**` for `{access}` subtree access");
    }

    private static string Absolute(string key, PolicyOrigin origin, Context context)
    {
        var expanded = key == "~" || key.StartsWith("~/", StringComparison.Ordinal) ? PathUtil.ExpandHome(key, context.Home) : key;
        if (!Path.IsPathRooted(expanded)) throw ProfileChain.Error(origin, "RelativePath", $"filesystem path `{key}` must be absolute, use `~/...`, or start with `:`");
        return expanded;
    }

    public static bool IsGlob(string path) => path.IndexOfAny(['*', '?', '[', ']']) >= 0;

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private static bool Known(string token) => token is ":root" or ":minimal" or ":workspace_roots" or ":tmpdir" or ":slash_tmp";

    private static string UnknownToken(string token) =>
        $"Configured filesystem path `{token}` is not recognized by this version of Codex and will be ignored. Upgrade Codex if this path is required.";
}
