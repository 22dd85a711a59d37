using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Tests.Rules;

public sealed class RuleSetLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rules-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Layer(string name, params (string File, string Text)[] files)
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.Combine(dir, "rules"));
        foreach (var (file, text) in files) File.WriteAllText(Path.Combine(dir, "rules", file), text);
        return dir;
    }

    [Fact]
    public void LoadsLayersInOrderAndFilesSortedByName()
    {
        var system = Layer("etc", ("b.rules", "prefix_rule(['b'])"), ("a.rules", "prefix_rule(['a'])"), ("c.txt", "not rules"));
        var user = Layer("home", ("z.rules", "prefix_rule(['z'], decision='prompt')"));
        File.WriteAllText(Path.Combine(user, "top.rules"), "prefix_rule(['ignored'])"); // not under rules/
        var result = RuleSetLoader.Load([system, Path.Combine(_root, "missing"), user]);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["a", "b", "z"], result.Rules.PrefixRules.Select(r => r.Program));
        Assert.Equal(3, result.Files.Count);
    }

    [Fact]
    public void BrokenFileGivesADiagnosticAndNoRules()
    {
        var dir = Layer("home",
            ("a.rules", "prefix_rule(['a'])"),
            ("b.rules", "prefix_rule(['b1'])\n\nprefix_rule(pattern=[])\n"),
            ("c.rules", "prefix_rule(['c'], decision='forbidden')"));
        var result = RuleSetLoader.Load([dir]);
        Assert.Equal(["a", "c"], result.Rules.PrefixRules.Select(r => r.Program));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(Path.Combine(dir, "rules", "b.rules"), d.Path);
        Assert.Equal(3, d.Line);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("pattern cannot be empty", d.Message);
        Assert.StartsWith($"{d.Path}:3:", d.ToString());
    }

    [Fact]
    public void ExtraFilesLoadAfterTheLayers()
    {
        var dir = Layer("home", ("a.rules", "prefix_rule(['a'])"));
        var extra = Path.Combine(_root, "extra.rules");
        File.WriteAllText(extra, "prefix_rule(['a'], decision='forbidden', justification='extra says no')");
        var result = RuleSetLoader.Load([dir], [extra]);
        Assert.Equal(RuleDecision.Forbidden, RuleSet.Strictest(result.Rules.Match(["a"])));
        Assert.Contains(extra, result.Files);
    }
}
