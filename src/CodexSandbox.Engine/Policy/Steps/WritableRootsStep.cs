using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>
/// The writable roots of workspace-write (codex-behaviour.md §3.1): the configured ones, the -WritableRoot ones, the working
/// directory, and shared temporary folders; each canonical, existing and once, with its protected sub-paths.
/// </summary>
internal static class WritableRootsStep
{
    public static IReadOnlyList<WritableRoot> Resolve(Resolution r, SandboxMode mode, IReadOnlyList<string> added, string workingDirectory,
        TempPlan temp, IReadOnlyList<string> alwaysReadOnly)
    {
        if (mode != SandboxMode.WorkspaceWrite)
        {
            if (added.Count > 0)
            {
                r.Warnings.Add($"-WritableRoot is ignored in {ConfigNames.Of(mode)} mode: {(mode == SandboxMode.ReadOnly ? "nothing is writable" : "everything is writable")}.");
            }
            return [];
        }

        var candidates = new List<(string Path, string Why)>();
        if (r.Pick(l => l.WritableRoots) is { } configured)
        {
            candidates.AddRange(configured.Value.Select(root => (root, $"writable_roots in {configured.Origin.File}:{configured.Origin.Line}")));
        }
        if (added.Count > 0)
        {
            r.Origins.Add(new PolicyOrigin("writable_roots (added)", Setting.Format(added), PolicySource.Parameter));
            candidates.AddRange(added.Select(root => (Path.GetFullPath(root, r.Request.WorkingDirectory), "-WritableRoot")));
        }
        candidates.Add((workingDirectory, "working directory"));
        // Shared (or Windows' TEMP/TMP): the host's own temporary folders are writable roots, as in Codex.
        candidates.AddRange(temp.SharedRoots);

        var roots = new List<WritableRoot>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, why) in candidates)
        {
            var canonical = PathUtil.Canonical(path);
            if (!Directory.Exists(canonical))
            {
                r.Warnings.Add($"Writable root '{path}' ({why}) does not exist and was skipped.");
                continue;
            }
            if (!seen.Add(canonical)) continue;
            roots.Add(new WritableRoot(canonical, ProtectedPaths.For(canonical, workingDirectory, alwaysReadOnly)));
        }
        return roots;
    }
}
