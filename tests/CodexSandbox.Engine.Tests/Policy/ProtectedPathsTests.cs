using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

public class ProtectedPathsTests
{
    [Fact]
    public void GitDirectoryAndCodexAreProtectedAndMissingOnesOnlyForTheWorkingDirectory()
    {
        using var t = new TempTree();
        var root = t.Dir("repo");
        Directory.CreateDirectory(Path.Combine(root, ".git"));
        Assert.Equal([$"{root}/.git", $"{root}/.codex", $"{root}/.agents"], ProtectedPaths.For(root, isWorkingDirectory: true));
        Assert.Equal([$"{root}/.git"], ProtectedPaths.For(root, isWorkingDirectory: false));
        Directory.CreateDirectory(Path.Combine(root, ".agents"));
        Assert.Equal([$"{root}/.git", $"{root}/.agents"], ProtectedPaths.For(root, isWorkingDirectory: false));
    }

    [Fact]
    public void WorktreeGitFileProtectsItsTargetToo()
    {
        using var t = new TempTree();
        var gitdir = t.Dir("main/.git/worktrees/wt");
        var wt = t.Dir("wt");
        File.WriteAllText(Path.Combine(wt, ".git"), $"gitdir: {gitdir}\n");
        Assert.Equal([$"{wt}/.git", gitdir], ProtectedPaths.For(wt, isWorkingDirectory: false));

        var rel = t.Dir("wt2");
        File.WriteAllText(Path.Combine(rel, ".git"), "gitdir: ../main/.git/worktrees/wt\n");
        Assert.Equal([$"{rel}/.git", gitdir], ProtectedPaths.For(rel, isWorkingDirectory: false));
    }

    [Fact]
    public void ResolvedPolicyListsProtectedPathsPerRoot()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\n");
        var p = CodexSandbox.Engine.Policy.PolicyResolver.Resolve(
            CodexSandbox.Engine.Configuration.ConfigLoader.Load(t.Request()), new PolicyOverrides(), new Dictionary<string, string>());
        Assert.Contains($"{t.Project}/.git", p.ProtectedPaths);
        Assert.Contains($"{t.Project}/.codex", p.ProtectedPaths);
    }
}
