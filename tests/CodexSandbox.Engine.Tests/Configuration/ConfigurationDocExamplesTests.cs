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

    private static string Doc()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "docs", "configuration.md"))) dir = Path.GetDirectoryName(dir);
        return File.ReadAllText(Path.Combine(dir!, "docs", "configuration.md"));
    }

    private static bool IsRequirements(string toml) => toml.StartsWith("# /etc/codex/requirements.toml", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleReadsWithoutErrors(int index, string toml)
    {
        if (IsRequirements(toml)) return; // read as requirements by RequirementsExampleApplies
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

    [Theory]
    [MemberData(nameof(Examples))]
    public void RequirementsExampleApplies(int index, string toml)
    {
        if (!IsRequirements(toml)) return;
        using var t = new TempTree();
        var path = t.Write("etc-codex/requirements.toml", toml);
        var q = Engine.Configuration.Requirements.RequirementsReader.Read(ConfigFile.Parse(path, toml), Path.Combine(t.Root, "home"), "host");
        Assert.True(q.Diagnostics.Count == 0, $"example {index}: {string.Join("; ", q.Diagnostics)}");
        t.UserConfig("sandbox_mode = \"danger-full-access\"\n");
        var policy = PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), new PolicyOverrides(),
            new Dictionary<string, string> { ["HOME"] = Path.Combine(t.Root, "home"), ["PATH"] = "/usr/bin:/bin" });
        Assert.Equal(SandboxMode.ReadOnly, policy.SandboxMode);
        Assert.False(policy.UnsandboxedAllowed);
        Assert.Contains(Path.Combine(t.SystemDir, "keys/**/*.pem"), policy.DenyRead);
    }

    [Fact]
    public void EveryKeyTheModuleReadsIsDocumented()
    {
        var doc = Doc();
        var missing = ConfigSchema.Keys.Select(k => k.Name).Where(k => !doc.Contains($"`{k}`", StringComparison.Ordinal)).ToList();
        missing.AddRange(new[] { "allowed_sandbox_modes", "allowed_approval_policies", "[allowed_permission_profiles]", "default_permissions",
            "[permissions.<id>]", "[permissions.filesystem] deny_read", "[rules] prefix_rules", "[experimental_network]", "[[remote_sandbox_config]]",
            "description", "extends", "workspace_roots", "glob_scan_max_depth", "projects.\"<path>\".trust_level", "profile" }
            .Where(k => !doc.Contains($"`{k}`", StringComparison.Ordinal)));
        Assert.True(missing.Count == 0, "not in docs/configuration.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void BothFormsOfTheSideBySideExampleResolveToTheSameSandbox()
    {
        var blocks = Examples().Select(row => (string)row[1]).ToList();
        var current = blocks.Single(b => b.StartsWith("# the current form", StringComparison.Ordinal));
        var legacy = blocks.Single(b => b.StartsWith("# the legacy form", StringComparison.Ordinal));
        (SandboxMode Mode, NetworkMode Network, List<string> Roots, List<string> Deny) Resolve(string toml)
        {
            using var t = new TempTree();
            var cache = t.Dir("srv/cache");
            t.UserConfig(toml.Replace("/srv/cache", cache, StringComparison.Ordinal));
            var p = PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), new PolicyOverrides(),
                new Dictionary<string, string> { ["HOME"] = Path.Combine(t.Root, "home"), ["PATH"] = "/usr/bin:/bin" });
            return (p.SandboxMode, p.NetworkMode, p.WritableRoots.Select(r => r.Path.Replace(t.Root, "<root>", StringComparison.Ordinal)).Order().ToList(),
                p.DenyRead.Select(d => d.Replace(t.Root, "<root>", StringComparison.Ordinal)).ToList());
        }
        var a = Resolve(current);
        var b = Resolve(legacy);
        Assert.Equal((SandboxMode.WorkspaceWrite, NetworkMode.On), (a.Mode, a.Network));
        Assert.Equal((a.Mode, a.Network), (b.Mode, b.Network));
        Assert.Equal(a.Roots, b.Roots);
        Assert.Contains("<root>/srv/cache", a.Roots);
        Assert.Contains("<root>/home/.aws", a.Deny);
        Assert.Contains("<root>/home/.aws", b.Deny);
    }
}
