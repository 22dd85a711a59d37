using CodexSandbox.Engine.Environment;
using CodexSandbox.Engine.Tests.Platforms;

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

    private static readonly Dictionary<string, string> WindowsParent = new()
    {
        ["Path"] = @"C:\Windows\System32;;bin;C:\work\proj\node_modules\.bin;""C:\Program Files\Git\cmd"";D:tools;C:\Work\Proj\Tools",
        ["SystemRoot"] = @"C:\Windows",
        ["ComSpec"] = @"C:\Windows\System32\cmd.exe",
        ["USERPROFILE"] = @"C:\Users\u",
        ["EDITOR"] = "code",
        ["Codex_Sandbox"] = "outer",
    };

    [Fact]
    public void Windows_path_is_filtered_with_windows_rules_whatever_the_variable_is_called()
    {
        var r = EnvironmentBuilder.Build(new EnvironmentPolicy(), WindowsParent, [@"C:\work\proj"], windows: true);
        Assert.Equal(@"C:\Windows\System32;""C:\Program Files\Git\cmd""", r.Environment["PATH"]);
        Assert.Equal(r.Environment["PATH"], r.Environment["Path"]); // names ignore case
        Assert.Contains(r.Removed, x => x.Name == "PATH:bin" && x.Reason == "relative PATH entry");
        Assert.Contains(r.Removed, x => x.Name == "PATH:D:tools" && x.Reason == "relative PATH entry");
        Assert.Contains(r.Removed, x => x.Name == @"PATH:C:\Work\Proj\Tools" && x.Reason.StartsWith("PATH entry inside writable root", StringComparison.Ordinal));
        Assert.Contains(r.Removed, x => x.Name == "Codex_Sandbox");
        Assert.Equal(".COM;.EXE;.BAT;.CMD", r.Environment["PATHEXT"]);
    }

    [Fact]
    public void Windows_core_keeps_the_system_folders_ignoring_case()
    {
        var r = EnvironmentBuilder.Build(new EnvironmentPolicy { Inherit = EnvironmentInherit.Core }, WindowsParent, [@"C:\work\proj"], windows: true);
        Assert.True(r.Environment.ContainsKey("SystemRoot"));
        Assert.True(r.Environment.ContainsKey("COMSPEC"));
        Assert.True(r.Environment.ContainsKey("Path"));
        Assert.False(r.Environment.ContainsKey("EDITOR"));
    }

    [PlatformFact(TestSystems.Linux | TestSystems.MacOS, "on Windows the Windows rules are the default (Windows_core_keeps_the_system_folders_ignoring_case tests them)")]
    public void Posix_rules_stay_the_default_off_windows()
    {
        var r = Build(new EnvironmentPolicy());
        Assert.False(r.Environment.ContainsKey("PATHEXT"));
        Assert.False(r.Environment.ContainsKey("path"));
    }
}
