using CodexSandbox.Engine.Environment;

namespace CodexSandbox.Engine.Tests.Environment;

public class EnvironmentBuilderTests
{
    private static readonly Dictionary<string, string> Parent = new()
    {
        ["PATH"] = "/usr/bin::bin:/work/proj/node_modules/.bin:/bin",
        ["HOME"] = "/home/u",
        ["OPENAI_API_KEY"] = "sk-1",
        ["GITHUB_TOKEN"] = "t",
        ["DB_PASSWORD"] = "p",
        ["AWS_SECRET_ACCESS_KEY"] = "s",
        ["NPM_CREDENTIALS"] = "c",
        ["CODEX_SANDBOX"] = "outer",
        ["CODEX_SANDBOX_NETWORK_DISABLED"] = "1",
        ["EDITOR"] = "vim",
        ["LANG"] = "C.UTF-8",
    };

    private static EnvironmentBuilder.Result Build(EnvironmentPolicy policy) =>
        EnvironmentBuilder.Build(policy, Parent, ["/work/proj"]);

    [Fact]
    public void SecretsAndOuterMarkersAreRemovedByDefault()
    {
        var r = Build(new EnvironmentPolicy());
        Assert.Equal(["EDITOR", "HOME", "LANG", "PATH"], r.Environment.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(r.Removed, x => x.Name == "OPENAI_API_KEY" && x.Reason == "default exclude *KEY*");
        Assert.Contains(r.Removed, x => x.Name == "DB_PASSWORD" && x.Reason == "default exclude *PASSWORD*");
        Assert.Contains(r.Removed, x => x.Name == "NPM_CREDENTIALS");
        Assert.Contains(r.Removed, x => x.Name == "CODEX_SANDBOX" && x.Reason.Contains("spawn"));
    }

    [Fact]
    public void PathLosesEmptyRelativeAndWritableEntries()
    {
        var r = Build(new EnvironmentPolicy());
        Assert.Equal("/usr/bin:/bin", r.Environment["PATH"]);
        Assert.Contains(r.Removed, x => x.Name == "PATH:" && x.Reason == "empty PATH entry");
        Assert.Contains(r.Removed, x => x.Name == "PATH:bin" && x.Reason == "relative PATH entry");
        Assert.Contains(r.Removed, x => x.Name == "PATH:/work/proj/node_modules/.bin" && x.Reason.Contains("/work/proj"));
    }

    [Fact]
    public void IgnoreDefaultExcludesRestoresCodexBehaviour()
    {
        var r = Build(new EnvironmentPolicy { IgnoreDefaultExcludes = true });
        Assert.Equal("sk-1", r.Environment["OPENAI_API_KEY"]);
        Assert.False(r.Environment.ContainsKey("CODEX_SANDBOX"));
    }

    [Fact]
    public void CoreAndNoneStartSets()
    {
        Assert.Equal(["HOME", "LANG", "PATH"], Build(new EnvironmentPolicy { Inherit = EnvironmentInherit.Core }).Environment.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(Build(new EnvironmentPolicy { Inherit = EnvironmentInherit.None }).Environment);
    }

    [Fact]
    public void StepsRunInCodexOrderExcludeThenSetThenIncludeOnly()
    {
        var r = Build(new EnvironmentPolicy
        {
            Exclude = ["ed*"],                                   // case-insensitive glob
            Set = new Dictionary<string, string> { ["EDITOR"] = "nano", ["MY_VAR"] = "1", ["OTHER"] = "2" },
            IncludeOnly = ["MY_*", "EDITOR", "PATH"],
        });
        Assert.Equal("nano", r.Environment["EDITOR"]);           // set after exclude
        Assert.Equal("1", r.Environment["MY_VAR"]);
        Assert.False(r.Environment.ContainsKey("OTHER"));         // include_only after set
        Assert.False(r.Environment.ContainsKey("HOME"));
        Assert.Contains(r.Removed, x => x.Name == "EDITOR" && x.Reason == "exclude ed*");
        Assert.Contains(r.Removed, x => x.Name == "OTHER" && x.Reason == "not in include_only");
    }

    [Theory]
    [InlineData("*KEY*", "openai_api_key", true)]
    [InlineData("A?C", "abc", true)]
    [InlineData("A?C", "abbc", false)]
    [InlineData("*", "", true)]
    [InlineData("X*Y*Z", "xaaybbz", true)]
    [InlineData("X*Y*Z", "xaaybb", false)]
    public void WildcardsMatchCaseInsensitively(string pattern, string text, bool expected) =>
        Assert.Equal(expected, WildcardMatcher.IsMatch(pattern, text));
}
