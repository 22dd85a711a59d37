using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Policy;

/// <summary>The read-only sub-paths of a writable root (codex-behaviour.md §3.2).</summary>
public static class ProtectedPaths
{
    /// <param name="root">Canonical writable root.</param>
    /// <param name="isWorkingDirectory">The cwd root protects <c>.codex</c> and <c>.agents</c> even when missing, so creating them needs approval.</param>
    public static IReadOnlyList<string> For(string root, bool isWorkingDirectory)
    {
        var result = new List<string>();
        var git = Path.Combine(root, ".git");
        if (Directory.Exists(git))
        {
            result.Add(git);
        }
        else if (File.Exists(git))
        {
            // A worktree or submodule: .git is a pointer file; the repository it points to is protected as well.
            result.Add(git);
            if (ReadGitDir(git, root) is { } target && !result.Contains(target)) result.Add(target);
        }
        foreach (var name in new[] { ".codex", ".agents" })
        {
            var p = Path.Combine(root, name);
            if (Directory.Exists(p) || isWorkingDirectory) result.Add(p);
        }
        return result;
    }

    private static string? ReadGitDir(string pointerFile, string root)
    {
        string text;
        try { text = File.ReadAllText(pointerFile); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("gitdir:", StringComparison.Ordinal)) continue;
            var target = trimmed["gitdir:".Length..].Trim();
            if (target.Length == 0) return null;
            return PathUtil.Canonical(Path.IsPathRooted(target) ? target : Path.Combine(root, target));
        }
        return null;
    }
}
