using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Tests.Configuration;

public class ConfigLoaderTests
{
    [Fact]
    public void UserLayerBeatsSystemLayer()
    {
        using var t = new TempTree();
        t.SystemConfig("sandbox_mode = \"read-only\"\napproval_policy = \"never\"\n");
        t.UserConfig("sandbox_mode = \"workspace-write\"\n");
        var config = ConfigLoader.Load(t.Request());
        Assert.Equal("workspace-write", config.Get("sandbox_mode")!.Value);
        Assert.Equal(PolicySource.User, config.Get("sandbox_mode")!.Source);
        Assert.Equal("never", config.Get("approval_policy")!.Value);
        Assert.Equal(PolicySource.System, config.Get("approval_policy")!.Source);
    }

    [Fact]
    public void ProjectLayersLoadOnlyWhenTheProjectIsTrusted()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.UserConfig("sandbox_mode = \"read-only\"\n");
        t.Write("work/proj/.codex/config.toml", "sandbox_mode = \"danger-full-access\"\n");

        var untrusted = ConfigLoader.Load(t.Request());
        Assert.Equal("read-only", untrusted.Get("sandbox_mode")!.Value);
        Assert.Single(untrusted.SkippedProjectFiles);

        t.Trust("untrusted");
        Assert.Equal("read-only", ConfigLoader.Load(t.Request()).Get("sandbox_mode")!.Value);

        t.UserConfig("sandbox_mode = \"read-only\"\n");
        t.Trust("trusted");
        var trusted = ConfigLoader.Load(t.Request());
        Assert.Equal("danger-full-access", trusted.Get("sandbox_mode")!.Value);
        Assert.Equal(PolicySource.Project, trusted.Get("sandbox_mode")!.Source);
        Assert.Empty(trusted.SkippedProjectFiles);
    }

    [Fact]
    public void AProjectCannotTrustItself()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.Write("work/proj/.codex/config.toml", $"sandbox_mode = \"danger-full-access\"\n[projects.\"{t.Project}\"]\ntrust_level = \"trusted\"\n");
        var config = ConfigLoader.Load(t.Request());
        Assert.Null(config.Trust);
        Assert.Null(config.Get("sandbox_mode"));
    }

    [Fact]
    public void DeeperProjectFilesBeatShallowerOnes()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        var sub = t.Dir("work/proj/src/app");
        t.UserConfig("");
        t.Trust();
        t.Write("work/proj/.codex/config.toml", "sandbox_mode = \"read-only\"\napproval_policy = \"never\"\n");
        t.Write("work/proj/src/.codex/config.toml", "sandbox_mode = \"workspace-write\"\n");
        t.Write("work/.codex/config.toml", "approval_policy = \"untrusted\"\n"); // above the project root: not a layer

        var config = ConfigLoader.Load(t.Request(cwd: sub));
        Assert.Equal(t.Project, config.ProjectRoot);
        Assert.Equal("workspace-write", config.Get("sandbox_mode")!.Value);
        Assert.EndsWith("src/.codex/config.toml", config.Get("sandbox_mode")!.File);
        Assert.Equal("never", config.Get("approval_policy")!.Value);
        Assert.Equal(3, config.Layers.Count); // user + two project files; nothing above the root
    }

    [Fact]
    public void ConfigPathReplacesTheUserLayer()
    {
        using var t = new TempTree();
        t.UserConfig("sandbox_mode = \"workspace-write\"\n");
        var other = t.Write("other.toml", "approval_policy = \"never\"\n");
        var config = ConfigLoader.Load(t.Request(configPath: other));
        Assert.Null(config.Get("sandbox_mode"));
        Assert.Equal(other, config.Get("approval_policy")!.File);
        Assert.Throws<FileNotFoundException>(() => ConfigLoader.Load(t.Request(configPath: Path.Combine(t.Root, "missing.toml"))));
    }

    [Fact]
    public void ReparsesAFileOnlyWhenItChanges()
    {
        using var t = new TempTree();
        var path = t.UserConfig("sandbox_mode = \"read-only\"\n");
        var first = ConfigLoader.Parse(path);
        Assert.Same(first, ConfigLoader.Parse(path));
        File.WriteAllText(path, "sandbox_mode = \"workspace-write\"\n# longer\n");
        Assert.NotSame(first, ConfigLoader.Parse(path));
    }

    [Fact]
    public void ProfilesMergeAcrossLayers()
    {
        using var t = new TempTree();
        t.SystemConfig("[profiles.ci]\nsandbox_mode = \"read-only\"\napproval_policy = \"never\"\n");
        t.UserConfig("[profiles.ci]\nsandbox_mode = \"workspace-write\"\n[profiles.dev]\n");
        var config = ConfigLoader.Load(t.Request());
        var ci = config.FindProfile("ci")!;
        Assert.Equal("workspace-write", ci.Values["sandbox_mode"].Value);
        Assert.Equal("never", ci.Values["approval_policy"].Value);
        Assert.Equal(["ci", "dev"], config.ProfileNames);
        Assert.Null(config.FindProfile("nope"));
    }
}
