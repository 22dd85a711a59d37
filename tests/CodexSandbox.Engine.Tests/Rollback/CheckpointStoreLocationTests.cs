using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Rollback;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Rollback;

/// <summary>
/// Undo runs git with the store's repository and trusts the store's metadata, so a sandboxed command must never be
/// able to write there (a planted config or alternates file, a forged checkpoint.json).
/// </summary>
public class CheckpointStoreLocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheDefaultStoreIsReadOnlyInTheSandboxWhereverCodexHomeIs(bool codexHomeInsideTheProject)
    {
        using var t = new TempTree();
        var codexHome = codexHomeInsideTheProject ? Path.Combine(t.Project, ".codex-home") : t.CodexHome;
        Directory.CreateDirectory(codexHome);
        File.WriteAllText(Path.Combine(codexHome, "config.toml"), "sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n");
        var request = t.Request() with { CodexHome = codexHome };
        var policy = PolicyResolver.Resolve(ConfigLoader.Load(request), new PolicyOverrides(), new Dictionary<string, string>());
        var store = CheckpointStore.DefaultDirectory(request.CodexHome);

        Assert.Contains(policy.AlwaysReadOnly, p => PathUtil.IsUnder(store, p));
        Assert.Contains(policy.WritableRoots, r => r.Path == t.Project);
        if (codexHomeInsideTheProject)
            Assert.Contains(policy.ProtectedPaths, p => PathUtil.IsUnder(store, p));
        else
            Assert.DoesNotContain(policy.WritableRoots, r => PathUtil.IsUnder(store, r.Path));
    }
}
