using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

/// <summary><c>approval_policy = { granular = { … } }</c> as a config value (codex-config-2026.md §4).</summary>
public class GranularApprovalConfigTests
{
    private static SandboxPolicy Resolve(TempTree t, PolicyOverrides? o = null) =>
        PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), o ?? new PolicyOverrides(),
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = Path.Combine(t.Root, "home") });

    [Fact]
    public void GranularTableResolvesWithItsFlagsAndOrigin()
    {
        using var t = new TempTree();
        t.UserConfig("model = \"x\"\napproval_policy = { granular = { sandbox_approval = true, rules = false, mcp_elicitations = true } }\n");
        var p = Resolve(t);
        Assert.Equal(ApprovalPolicy.Granular, p.ApprovalPolicy);
        Assert.Equal(new GranularApproval(true, false, true), p.GranularApproval);
        var origin = p.Provenance.Single(o => o.Setting == "approval_policy");
        Assert.Equal((PolicySource.User, 2), (origin.Source, origin.Line));
        Assert.Contains("rules = false", origin.Value);
    }

    [Fact]
    public void MissingOptionalFlagsDefaultToFalse()
    {
        // Codex protocol.rs granular_approval_config_defaults_missing_optional_flags_to_false
        using var t = new TempTree();
        t.UserConfig("[approval_policy.granular]\nsandbox_approval = true\nrules = true\nmcp_elicitations = false\n");
        var g = Resolve(t).GranularApproval!;
        Assert.Equal((true, true, false, false, false), (g.SandboxApproval, g.Rules, g.McpElicitations, g.SkillApproval, g.RequestPermissions));
    }

    [Theory]
    [InlineData("approval_policy = { granular = { sandbox_approval = true, rules = true } }", "MissingKey", "mcp_elicitations")]
    [InlineData("approval_policy = { granular = { sandbox_approval = true, rules = true, mcp_elicitations = true, skills = true } }", "UnknownKey", "skills")]
    [InlineData("approval_policy = { granular = { sandbox_approval = \"yes\", rules = true, mcp_elicitations = true } }", "WrongType", "sandbox_approval")]
    [InlineData("approval_policy = { fine = true }", "WrongType", "fine")]
    public void InvalidGranularTablesAreErrorsNamingTheFlag(string toml, string id, string named)
    {
        using var t = new TempTree();
        t.UserConfig(toml + "\n");
        var e = Assert.Throws<ConfigException>(() => Resolve(t));
        var d = Assert.Single(e.Errors);
        Assert.Equal(id, d.Id);
        Assert.Contains(named, d.Message);
        Assert.Equal(1, d.Line);
    }

    [Fact]
    public void GranularParameterTakesTheFlagsFromConfigOrFails()
    {
        using var t = new TempTree();
        t.UserConfig("approval_policy = \"never\"\n[profiles.g]\napproval_policy = { granular = { sandbox_approval = false, rules = true, mcp_elicitations = true } }\n");
        var e = Assert.Throws<ConfigException>(() => Resolve(t, new PolicyOverrides { ApprovalPolicy = ApprovalPolicy.Granular }));
        Assert.Contains("approval_policy = { granular", e.Message);
        var p = Resolve(t, new PolicyOverrides { ApprovalPolicy = ApprovalPolicy.Granular, Profile = "g" });
        Assert.Equal(new GranularApproval(false, true, true), p.GranularApproval);
        Assert.Null(Resolve(t, new PolicyOverrides { Profile = "g", ApprovalPolicy = ApprovalPolicy.OnRequest }).GranularApproval);
    }
}
