using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

public class ProtectedPathsTests
{
    [Fact]
    public void GitDirectoryAndCodexAreProtectedAndMissingOnesOnlyOnTheWorkingDirectoryChain()
    {
        using var t = new TempTree();
        var root = t.Dir("repo");
        var elsewhere = t.Dir("elsewhere");
        Directory.CreateDirectory(Path.Combine(root, ".git"));
        Assert.Equal([$"{root}/.git", $"{root}/.codex", $"{root}/.agents"], ProtectedPaths.For(root, root, []));
        Assert.Equal([$"{root}/.git"], ProtectedPaths.For(root, elsewhere, []));
        Directory.CreateDirectory(Path.Combine(root, ".agents"));
        Assert.Equal([$"{root}/.git", $"{root}/.agents"], ProtectedPaths.For(root, elsewhere, []));
    }

    [Fact]
    public void EveryAncestorOfTheWorkingDirectoryInsideTheRootIsProtectedMissingOnesIncluded()
    {
        using var t = new TempTree();
        var root = t.Dir("w");
        var proj = t.Dir("w/proj");
        var sub = t.Dir("w/proj/sub");
        Directory.CreateDirectory(Path.Combine(proj, ".git"));
        var paths = ProtectedPaths.For(root, sub, []);
        foreach (var dir in new[] { sub, proj, root })
        {
            foreach (var name in new[] { ".git", ".codex", ".agents" }) Assert.Contains(Path.Combine(dir, name), paths);
        }
        // Ancestors above the root are not the root's business (they are read-only already).
        Assert.DoesNotContain(paths, p => !p.StartsWith(root + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void WorktreeGitFileProtectsItsTargetAndItsCommonDirectory()
    {
        using var t = new TempTree();
        var gitdir = t.Dir("main/.git/worktrees/wt");
        File.WriteAllText(Path.Combine(gitdir, "commondir"), "../..\n");
        var common = Path.GetFullPath(Path.Combine(gitdir, "../.."));
        var wt = t.Dir("wt");
        var elsewhere = t.Dir("elsewhere");
        File.WriteAllText(Path.Combine(wt, ".git"), $"gitdir: {gitdir}\n");
        Assert.Equal([$"{wt}/.git", gitdir, common], ProtectedPaths.For(wt, elsewhere, []));

        var rel = t.Dir("wt2");
        File.WriteAllText(Path.Combine(rel, ".git"), "gitdir: ../main/.git/worktrees/wt\n");
        Assert.Equal([$"{rel}/.git", gitdir, common], ProtectedPaths.For(rel, elsewhere, []));
    }

    [Fact]
    public void AlwaysReadOnlyPathsInsideOrAroundTheRootAreProtected()
    {
        using var t = new TempTree();
        var root = t.Dir("w");
        var elsewhere = t.Dir("elsewhere");
        var home = Path.Combine(root, "home/.codex");
        var outside = t.Dir("other/.codex");
        var paths = ProtectedPaths.For(root, elsewhere, [home, outside, t.Root]);
        Assert.Contains(home, paths);
        Assert.Contains(t.Root, paths);          // an ancestor of the root: the whole root stays read-only
        Assert.DoesNotContain(outside, paths);
    }

    [Fact]
    public void ResolvedPolicyListsProtectedPathsPerRootAndTheAlwaysReadOnlyPaths()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\n");
        var request = t.Request();
        var p = CodexSandbox.Engine.Policy.PolicyResolver.Resolve(
            CodexSandbox.Engine.Configuration.ConfigLoader.Load(request), new PolicyOverrides(), new Dictionary<string, string>());
        Assert.Contains($"{t.Project}/.git", p.ProtectedPaths);
        Assert.Contains($"{t.Project}/.codex", p.ProtectedPaths);
        Assert.Contains(request.CodexHome, p.AlwaysReadOnly);
        Assert.Contains("/etc/codex", p.AlwaysReadOnly);
        Assert.Contains(PolicyResolver.ModuleFolder, p.AlwaysReadOnly);
        Assert.Contains(Path.Combine(request.CodexHome, "log"), p.AlwaysReadOnly);
    }
}
