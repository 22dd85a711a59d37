using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Tests.Configuration;

/// <summary>Keys Codex knows stay silent; keys nobody knows warn with the closest known key.</summary>
public class UnknownKeyTests
{
    private static LayerSettings Read(string toml) => LayerReader.Read(ConfigFile.Parse("/c/config.toml", toml), PolicySource.User, "/home/u");

    [Fact]
    public void CodexKeysWeDoNotUseStaySilent()
    {
        var s = Read("model = \"o3\"\nmodel_reasoning_effort = \"high\"\nnotify = [\"x\"]\nhide_agent_reasoning = true\n" +
                     "[mcp_servers.docs]\ncommand = \"x\"\n[features]\nnetwork_proxy = true\n[tui]\nx = 1\n[otel]\n[history]\n" +
                     "[profiles.p]\nmodel = \"x\"\nservice_tier = \"flex\"\nsandbox_mode = \"read-only\"\n" +
                     "[permissions.q]\ndescription = \"d\"\n[sandbox_limits]\ncpu_seconds = 1\n");
        Assert.Empty(s.Diagnostics);
    }

    [Theory]
    [InlineData("sandbox_modee = \"read-only\"\n", "sandbox_modee", "sandbox_mode")]
    [InlineData("aproval_policy = \"never\"\n", "aproval_policy", "approval_policy")]
    [InlineData("[sandbox_workspace_writ]\nnetwork_access = true\n", "sandbox_workspace_writ", "sandbox_workspace_write")]
    [InlineData("default_permission = \":workspace\"\n", "default_permission", "default_permissions")]
    [InlineData("[profiles.p]\nsandbox_mod = \"read-only\"\n", "profiles.p.sandbox_mod", "profiles.p.sandbox_mode")]
    [InlineData("[permissions.q]\nextend = \":workspace\"\n", "permissions.q.extend", "permissions.q.extends")]
    [InlineData("[sandbox_limits]\ncpu_second = 3\n", "sandbox_limits.cpu_second", "cpu_seconds")]
    public void UnknownKeysWarnWithTheClosestKnownKey(string toml, string key, string closest)
    {
        var d = Assert.Single(Read(toml).Diagnostics);
        Assert.Equal((DiagnosticSeverity.Warning, "UnknownKey", key), (d.Severity, d.Id, d.Key));
        Assert.Contains($"did you mean '{closest}'?", d.Message);
        Assert.True(d.Line > 0);
    }

    [Fact]
    public void AKeyFarFromEveryKnownKeyWarnsWithoutASuggestion()
    {
        var d = Assert.Single(Read("zzzzqqqq = 1\n").Diagnostics);
        Assert.Equal("Unknown key 'zzzzqqqq': neither Codex nor this module reads it.", d.Message);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("sandbox_modee", "sandbox_mode", 1)]
    [InlineData("", "abc", 3)]
    public void EditDistanceIsLevenshtein(string a, string b, int distance) => Assert.Equal(distance, KnownKeys.Distance(a, b));
}
