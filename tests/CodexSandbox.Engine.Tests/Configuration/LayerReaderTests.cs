using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Tests.Configuration;

public class LayerReaderTests
{
    private static LayerSettings Read(string toml) =>
        LayerReader.Read(ConfigFile.Parse("/c/config.toml", toml), PolicySource.User, "/home/u");

    [Fact]
    public void ReadsKnownKeysWithTheirLines()
    {
        var s = Read("sandbox_mode = \"workspace-write\"\n[sandbox_limits]\ncpu_seconds = 5\n");
        Assert.Empty(s.Diagnostics);
        Assert.Equal("workspace-write", s.Values["sandbox_mode"].Value);
        Assert.Equal(1, s.Values["sandbox_mode"].Line);
        Assert.Equal(5L, s.Values["sandbox_limits.cpu_seconds"].Value);
        Assert.Equal(3, s.Values["sandbox_limits.cpu_seconds"].Line);
    }

    [Fact]
    public void IgnoresOtherCodexFeaturesSilently()
    {
        var s = Read("model = \"gpt-5\"\n[mcp_servers.docs]\ncommand = \"x\"\n[tui]\nnotifications = true\n");
        Assert.Empty(s.Diagnostics);
        Assert.Empty(s.Values);
    }

    [Theory]
    [InlineData("sandbox_mode = \"read_only\"", "UnknownValue", "sandbox_mode", "\"read-only\", \"workspace-write\", \"danger-full-access\"")]
    [InlineData("approval_policy = \"sometimes\"", "UnknownValue", "approval_policy", "\"untrusted\", \"on-failure\", \"on-request\", \"never\"")]
    [InlineData("sandbox_mode = 1", "WrongType", "sandbox_mode", "not an integer")]
    [InlineData("[sandbox_workspace_write]\nnetwork_access = \"yes\"", "WrongType", "sandbox_workspace_write.network_access", "a boolean")]
    [InlineData("[sandbox_workspace_write]\nwritable_roots = [\"rel/dir\"]", "RelativePath", "sandbox_workspace_write.writable_roots", "'rel/dir' is not an absolute path")]
    [InlineData("[sandbox_workspace_write]\nwritable_roots = \"/a\"", "WrongType", "sandbox_workspace_write.writable_roots", "an array of strings")]
    [InlineData("[sandbox_limits]\nmemory_mb = 0", "OutOfRange", "sandbox_limits.memory_mb", "greater than 0")]
    [InlineData("[sandbox_limits]\nmemory_mb = 1.5", "WrongType", "sandbox_limits.memory_mb", "a float")]
    [InlineData("[sandbox_linux]\nnamespaces = \"always\"", "UnknownValue", "sandbox_linux.namespaces", "\"auto\", \"required\", \"off\"")]
    [InlineData("[shell_environment_policy]\ninherit = \"some\"", "UnknownValue", "shell_environment_policy.inherit", "\"all\", \"core\", \"none\"")]
    [InlineData("[shell_environment_policy]\nset = { A = [1] }", "WrongType", "shell_environment_policy.set.A", "a string")]
    [InlineData("log_dir = \"logs\"", "RelativePath", "log_dir", "not an absolute path")]
    [InlineData("deny_read = [\"secrets/*\"]", "RelativePath", "deny_read", "not an absolute path")]
    [InlineData("sandbox_limits = 3", "WrongType", "sandbox_limits", "must be a table")]
    [InlineData("[projects.\"/p\"]\ntrust_level = \"yes\"", "UnknownValue", "projects.\"/p\".trust_level", "\"trusted\", \"untrusted\"")]
    public void ReportsBadValuesAsErrorsWithLocation(string toml, string id, string key, string messagePart)
    {
        var s = Read(toml);
        var d = Assert.Single(s.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(id, d.Id);
        Assert.Equal(key, d.Key);
        Assert.Contains(messagePart, d.Message);
        Assert.True(d.Line > 0);
        Assert.Equal("/c/config.toml", d.Path);
    }

    [Fact]
    public void UnknownKeyInOurTablesIsAWarningWithTheKnownKeys()
    {
        var s = Read("[sandbox_audit]\nenable = true\n");
        var d = Assert.Single(s.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("UnknownKey", d.Id);
        Assert.Equal((2, 1), (d.Line, d.Column));
        Assert.Contains("enabled", d.Message);
    }

    [Fact]
    public void WrongTypeOfATableIsReportedOnce()
    {
        var s = Read("sandbox_limits = \"none\"\n");
        Assert.Single(s.Diagnostics);
    }

    [Fact]
    public void ExpandsHomeInPaths()
    {
        var s = Read("[sandbox_workspace_write]\nwritable_roots = [\"~/cache\"]\n");
        Assert.Equal(["/home/u/cache"], (IReadOnlyList<string>)s.Values["sandbox_workspace_write.writable_roots"].Value);
    }

    [Fact]
    public void ReadsProfilesAndProjectTrust()
    {
        var s = Read("profile = \"ci\"\n[profiles.ci]\nsandbox_mode = \"read-only\"\n[profiles.ci.sandbox_limits]\ntimeout_sec = 9\n[projects.\"/work/p/\"]\ntrust_level = \"trusted\"\n");
        Assert.Empty(s.Diagnostics);
        Assert.Equal("ci", s.Values["profile"].Value);
        var ci = s.Profiles["ci"];
        Assert.Equal(PolicySource.Profile, ci.Values["sandbox_mode"].Source);
        Assert.Equal("ci", ci.Values["sandbox_mode"].Profile);
        Assert.Equal(9L, ci.Values["sandbox_limits.timeout_sec"].Value);
        Assert.Equal("trusted", s.Trust["/work/p"].Value);
    }

    [Fact]
    public void EnvironmentSetAcceptsNumbersAndBooleansAsText()
    {
        var s = Read("[shell_environment_policy]\nset = { A = \"x\", B = 2, C = true }\n");
        var set = (IReadOnlyDictionary<string, string>)s.Values["shell_environment_policy.set"].Value;
        Assert.Equal(("x", "2", "true"), (set["A"], set["B"], set["C"]));
    }
}
