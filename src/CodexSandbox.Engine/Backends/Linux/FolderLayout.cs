using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>Which host folders a Linux sandbox mounts, in mount order, and which stay read-only inside the writable ones.</summary>
/// <param name="Mounts">Parents before children: the writable roots, the folders pinned so they cannot be renamed (both
/// writable), and the read-only folders that must stay visible under a hidden host folder (the working directory, the
/// project root, the launcher).</param>
/// <param name="Pinned">Folders between a writable root and a protected path inside it: bind-mounted onto themselves,
/// they cannot be renamed or removed, so host tools keep finding the protected path where it was.</param>
/// <param name="Protected">Protected paths inside writable roots (existing or not), parents first.</param>
/// <param name="ExposedAlwaysReadOnly">Paths that must never be writable but lie in (or contain) a writable root.</param>
public sealed record FolderLayout(
    IReadOnlyList<(string Path, bool Writable)> Mounts,
    IReadOnlyList<string> Pinned,
    IReadOnlyList<string> Protected,
    IReadOnlyList<string> ExposedAlwaysReadOnly)
{
    public static FolderLayout For(SandboxPolicy policy, string launcherPath)
    {
        var roots = policy.WritableRoots.Select(r => r.Path).ToList();
        bool InRoot(string path) => roots.Any(r => PathUtil.IsUnder(path, r));

        var launcherDir = Path.GetDirectoryName(launcherPath) ?? "/";
        var alwaysReadOnly = policy.AlwaysReadOnly.Append(launcherDir).Distinct(StringComparer.Ordinal).ToList();
        var exposed = alwaysReadOnly.Where(p => roots.Any(r => PathUtil.IsUnder(p, r) || PathUtil.IsUnder(r, p))).ToList();

        // An always-read-only path that contains a root is mounted read-only over it, root included.
        var protectedPaths = policy.WritableRoots.SelectMany(r => r.ReadOnlySubpaths)
            .Where(InRoot)
            .Concat(exposed)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p.Length).ThenBy(p => p, StringComparer.Ordinal)
            .ToList();
        // A path below another protected one is read-only with it (and a missing one cannot be created, or masked, there).
        protectedPaths = protectedPaths.Where(p => !protectedPaths.Any(q => q != p && PathUtil.IsUnder(p, q))).ToList();

        var pinned = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in protectedPaths)
        {
            var root = roots.Where(r => PathUtil.IsUnder(path, r)).OrderByDescending(r => r.Length).FirstOrDefault();
            if (root is null) continue;
            for (var dir = Path.GetDirectoryName(path); dir is not null && dir.Length > root.Length && PathUtil.IsUnder(dir, root); dir = Path.GetDirectoryName(dir))
            {
                if (Directory.Exists(dir) && !roots.Contains(dir)) pinned.Add(dir);
            }
        }

        var mounts = new List<(string Path, bool Writable)>();
        mounts.AddRange(roots.Select(r => (r, true)));
        mounts.AddRange(pinned.Select(p => (p, true)));
        if (!policy.SharedTmp)
        {
            // A read-only folder under a hidden host folder is shown again, unless a writable root already shows it.
            var visible = new[] { policy.WorkingDirectory, policy.ProjectRoot, launcherDir };
            foreach (var path in visible)
            {
                if (path is null || InRoot(path) || !Directory.Exists(path)) continue;
                if (!policy.HiddenPaths.Any(h => PathUtil.IsUnder(path, h))) continue;
                if (!mounts.Any(m => m.Path == path)) mounts.Add((path, false));
            }
        }
        var ordered = mounts.OrderBy(m => m.Path.Length).ThenBy(m => m.Path, StringComparer.Ordinal).ToList();
        return new FolderLayout(ordered, pinned.ToList(), protectedPaths, exposed);
    }
}
