using System.Text.RegularExpressions;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;

namespace CodexSandbox.Engine.Tests.Configuration;

/// <summary>Every TOML example of docs/configuration.md is read as a config file, and resolved when it selects a profile.</summary>
public partial class ConfigurationDocExamplesTests
{
    [GeneratedRegex("```toml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex TomlBlock();

    public static TheoryData<int, string> Examples()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "docs", "configuration.md"))) dir = Path.GetDirectoryName(dir);
        var text = File.ReadAllText(Path.Combine(dir ?? throw new FileNotFoundException("docs/configuration.md above the test folder"), "docs", "configuration.md"));
        var data = new TheoryData<int, string>();
        int i = 0;
        foreach (Match m in TomlBlock().Matches(text)) data.Add(i++, m.Groups[1].Value);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleReadsWithoutErrors(int index, string toml)
    {
        using var t = new TempTree();
        var path = t.UserConfig(toml);
        var settings = ConfigLoader.Check(path, PolicySource.User, Path.Combine(t.Root, "home"));
        Assert.DoesNotContain(settings.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        // only the typo example may warn
        Assert.True(settings.Diagnostics.All(d => d.Id == "UnknownKey") && (settings.Diagnostics.Count == 0 || toml.Contains("sandbox_modee", StringComparison.Ordinal)),
            $"example {index}: {string.Join("; ", settings.Diagnostics)}");
        if (toml.Contains("default_permissions", StringComparison.Ordinal) || toml.Contains("[permissions.", StringComparison.Ordinal))
        {
            var policy = PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), new PolicyOverrides { Permissions = toml.Contains("default_permissions", StringComparison.Ordinal) ? null : "edit" },
                new Dictionary<string, string> { ["HOME"] = Path.Combine(t.Root, "home"), ["PATH"] = "/usr/bin:/bin" });
            Assert.Equal("edit", policy.Permissions);
            Assert.Equal(SandboxMode.WorkspaceWrite, policy.SandboxMode);
        }
    }
}
