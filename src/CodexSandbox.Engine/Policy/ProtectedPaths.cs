using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Policy;

/// <summary>The read-only sub-paths of a writable root (codex-behaviour.md §3.2, made stricter).</summary>
/// <remarks>
/// Git and Codex find their metadata by walking up from the working directory, so a planted <c>.git/config</c>
/// (<c>core.fsmonitor</c>, hooks) or <c>.codex/config.toml</c> in any ancestor runs code on the host later. Protected
/// therefore: the metadata at the top of every root, and in the working directory and each of its ancestors inside the
/// root, missing ones included (so they cannot be created); a worktree's gitdir and common dir; and every
/// <see cref="SandboxPolicy.AlwaysReadOnly"/> path that lies in the root.
/// </remarks>
public static class ProtectedPaths
{
    private static readonly string[] MetadataNames = [".git", ".codex", ".agents"];

    /// <param name="root">Canonical writable root.</param>
    /// <param name="workingDirectory">Canonical working directory.</param>
    /// <param name="alwaysReadOnly">Canonical paths read-only in every mode (<c>$CODEX_HOME</c>, the module folder …).</param>
    public static IReadOnlyList<string> For(string root, string workingDirectory, IReadOnlyList<string> alwaysReadOnly)
    {
        var result = new List<string>();
        void Add(string path)
        {
            if (!result.Contains(path, StringComparer.Ordinal)) result.Add(path);
        }
        void Metadata(string dir, bool includeMissing)
        {
            foreach (var name in MetadataNames)
            {
                var p = Path.Combine(dir, name);
                bool exists = Directory.Exists(p) || File.Exists(p);
                if (!exists && !includeMissing) continue;
                Add(p);
                if (name == ".git" && File.Exists(p))
                {
                    // A worktree or submodule: .git is a pointer file. The repository it points to is protected, and so is
                    // a worktree's common dir, where the hooks and the config that host git reads live.
                    if (ReadGitDir(p, dir) is { } gitDir)
                    {
                        Add(gitDir);
                        if (ReadCommonDir(gitDir) is { } common) Add(common);
                    }
                }
            }
        }

        Metadata(root, includeMissing: false);
        if (PathUtil.IsUnder(workingDirectory, root))
        {
            for (var dir = workingDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                Metadata(dir, includeMissing: true);
                if (dir == root) break;
            }
        }
        foreach (var path in alwaysReadOnly)
        {
            // Inside the root, or an ancestor of it (then the whole root stays read-only).
            if (PathUtil.IsUnder(path, root) || PathUtil.IsUnder(root, path)) Add(path);
        }
        return result;
    }

    private static string? ReadGitDir(string pointerFile, string dir)
    {
        foreach (var line in ReadLines(pointerFile))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("gitdir:", StringComparison.Ordinal)) continue;
            var target = trimmed["gitdir:".Length..].Trim();
            if (target.Length == 0) return null;
            return PathUtil.Canonical(Path.IsPathRooted(target) ? target : Path.Combine(dir, target));
        }
        return null;
    }

    private static string? ReadCommonDir(string gitDir)
    {
        var file = Path.Combine(gitDir, "commondir");
        if (!File.Exists(file)) return null;
        var target = ReadLines(file).FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(target)) return null;
        return PathUtil.Canonical(Path.IsPathRooted(target) ? target : Path.Combine(gitDir, target));
    }

    private static string[] ReadLines(string file)
    {
        try { return File.ReadAllLines(file); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}
