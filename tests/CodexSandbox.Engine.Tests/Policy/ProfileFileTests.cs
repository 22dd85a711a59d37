using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

/// <summary>Profile files and the legacy profile forms (codex-config-2026.md §5).</summary>
public class ProfileFileTests
{
    private static SandboxPolicy Resolve(TempTree t, string? profile = null) =>
        PolicyResolver.Resolve(ConfigLoader.Load(t.Request(profile: profile)), new PolicyOverrides { Profile = profile },
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = Path.Combine(t.Root, "home") });

    [Fact]
    public void SelectedUserConfigFileLayersOverBaseUserConfig()
    {
        // Codex config_loader_tests selected_user_config_file_layers_over_base_user_config: the file overrides what it
        // sets, the base keeps the rest
        using var t = new TempTree();
        t.UserConfig("approval_policy = \"never\"\nsandbox_mode = \"read-only\"\n");
        var file = t.Write("home/.codex/work.config.toml", "# overrides only\nsandbox_mode = \"workspace-write\"\n");
        var p = Resolve(t, "work");
        Assert.Equal((SandboxMode.WorkspaceWrite, ApprovalPolicy.Never), (p.SandboxMode, p.ApprovalPolicy));
        var origin = p.Provenance.Single(o => o.Setting == "sandbox_mode");
        Assert.Equal((PolicySource.User, file, 2), (origin.Source, origin.File, origin.Line));
        Assert.Equal("work", p.Profile);
        Assert.Contains(file, p.ConfigFiles);
        Assert.Equal(ApprovalPolicy.Never, Resolve(t).ApprovalPolicy);
        Assert.Equal(SandboxMode.ReadOnly, Resolve(t).SandboxMode);
    }

    [Fact]
    public void ProfileFileSitsBelowTrustedProjectFiles()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.UserConfig("");
        t.Trust();
        t.Write("home/.codex/work.config.toml", "sandbox_mode = \"danger-full-access\"\napproval_policy = \"never\"\n");
        t.Write("work/proj/.codex/config.toml", "sandbox_mode = \"read-only\"\n");
        var p = Resolve(t, "work");
        Assert.Equal((SandboxMode.ReadOnly, ApprovalPolicy.Never), (p.SandboxMode, p.ApprovalPolicy));
    }

    [Fact]
    public void LegacyProfileTableAndKeyKeepWorking()
    {
        using var t = new TempTree();
        t.UserConfig("profile = \"ci\"\n[profiles.ci]\nsandbox_mode = \"workspace-write\"\n[profiles.other]\nsandbox_mode = \"danger-full-access\"\n");
        Assert.Equal(SandboxMode.WorkspaceWrite, Resolve(t).SandboxMode);
        // the profile key also selects a profile file
        t.UserConfig("profile = \"ci\"\n");
        t.Write("home/.codex/ci.config.toml", "sandbox_mode = \"danger-full-access\"\n");
        Assert.Equal(SandboxMode.DangerFullAccess, Resolve(t).SandboxMode);
    }

    [Fact]
    public void BothFormsOfOneProfileAreRefusedNamingBothFiles()
    {
        // Codex loader tests profile_v2_rejects_matching_legacy_profile_in_base_user_config
        using var t = new TempTree();
        var user = t.UserConfig("[profiles.work]\nsandbox_mode = \"read-only\"\n");
        var file = t.Write("home/.codex/work.config.toml", "sandbox_mode = \"workspace-write\"\n");
        var e = Assert.Throws<ConfigException>(() => Resolve(t, "work"));
        Assert.Contains(file, e.Message);
        Assert.Contains($"{user}:1", e.Message);
    }

    [Fact]
    public void UnrelatedLegacyProfilesAreTolerated()
    {
        // Codex profile_v2_allows_unrelated_legacy_profiles_in_base_user_config
        using var t = new TempTree();
        t.UserConfig("[profiles.old]\nsandbox_mode = \"read-only\"\n");
        t.Write("home/.codex/work.config.toml", "sandbox_mode = \"workspace-write\"\n");
        Assert.Equal(SandboxMode.WorkspaceWrite, Resolve(t, "work").SandboxMode);
    }

    [Fact]
    public void AMissingProfileIsAnErrorNamingTheFileToCreate()
    {
        // stricter than Codex, which counts a missing file as empty: a mistyped -Profile would run under the base policy
        using var t = new TempTree();
        t.UserConfig("[profiles.old]\nsandbox_mode = \"read-only\"\n");
        t.Write("home/.codex/work.config.toml", "");
        var e = Assert.Throws<ProfileNotFoundException>(() => Resolve(t, "wrok"));
        Assert.Contains(Path.Combine(t.CodexHome, "wrok.config.toml"), e.Message);
        Assert.Contains("old, work", e.Message);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a b")]
    [InlineData("a.b")]
    public void ProfileNamesMustBePlain(string name)
    {
        using var t = new TempTree();
        t.UserConfig("");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(t.Request(profile: name)));
        Assert.Contains($"invalid -Profile value `{name}`; pass a plain name such as `work`", e.Message);
    }

    [Fact]
    public void LegacyFormsGetWarningsNamingTheFileToCreate()
    {
        using var t = new TempTree();
        var user = t.UserConfig("profile = \"ci\"\n\n[profiles.ci]\nsandbox_mode = \"read-only\"\n");
        var settings = ConfigLoader.Check(user, PolicySource.User, Path.Combine(t.Root, "home"));
        var warnings = ProfileFiles.LegacyWarnings(user, settings, t.CodexHome).ToList();
        Assert.All(warnings, w => Assert.Equal(DiagnosticSeverity.Warning, w.Severity));
        Assert.Equal(["LegacyProfileKey", "LegacyProfileTable"], warnings.Select(w => w.Id));
        Assert.Equal([1, 3], warnings.Select(w => w.Line));
        Assert.All(warnings, w => Assert.Contains(Path.Combine(t.CodexHome, "ci.config.toml"), w.Message));
    }

    [Fact]
    public void ProfileNamesListTablesAndFiles()
    {
        using var t = new TempTree();
        t.UserConfig("[profiles.old]\nsandbox_mode = \"read-only\"\n");
        t.Write("home/.codex/work.config.toml", "");
        t.Write("home/.codex/bad name.config.toml", "");
        Assert.Equal(["old", "work"], ConfigLoader.Load(t.Request()).ProfileNames);
    }
}
