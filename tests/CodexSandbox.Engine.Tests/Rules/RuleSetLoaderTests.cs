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
        Assert.True(result.IsUsable);
        Assert.Equal(["a", "b", "z"], result.GetRules().PrefixRules.Select(r => r.Program));
        Assert.Equal(3, result.Files.Count);
    }

    [Fact]
    public void BrokenFileFailsClosed()
    {
        var dir = Layer("home",
            ("a.rules", "prefix_rule(['a'])"),
            ("b.rules", "prefix_rule(['b1'])\n\nprefix_rule(pattern=[])\n"),
            ("c.rules", "prefix_rule(['c'], decision='forbidden')"));
        var result = RuleSetLoader.Load([dir]);
        Assert.False(result.IsUsable);
        var d = Assert.Single(result.Diagnostics);
        Assert.Same(d, Assert.Single(result.Errors));
        Assert.Equal(Path.Combine(dir, "rules", "b.rules"), d.Path);
        Assert.Equal(3, d.Line);
        Assert.Equal(1, d.Column);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("InvalidRule", d.Id);
        Assert.Contains("pattern cannot be empty", d.Message);
        Assert.Contains("no command runs until this file is fixed", d.Message);
        Assert.StartsWith($"{d.Path}:3:1: error:", d.ToString());
        var e = Assert.Throws<RulesLoadException>(() => result.GetRules());
        Assert.Equal("InvalidRule", e.Kind);
        Assert.StartsWith($"{d.Path}:3:1: ", e.Message);
    }

    [Fact]
    public void ASyntaxErrorBelowAForbiddenRuleDoesNotLetTheCommandThrough()
    {
        // the case: line 1 forbids curl, line 3 does not parse. Codex (and we, before) dropped the whole file
        // and curl was allowed; now no rule set is handed out at all
        var dir = Layer("home", ("default.rules",
            "prefix_rule(pattern = ['curl'], decision = 'forbidden')\n\nprefix_rule(pattern = ['wget'], decision = 'forbidden'\n"));
        var result = RuleSetLoader.Load([dir]);
        var e = Assert.Throws<RulesLoadException>(() => result.GetRules());
        var d = Assert.Single(e.Errors);
        Assert.Equal("SyntaxError", d.Id);
        Assert.Equal("SyntaxError", e.Kind);
        Assert.True(d.Line >= 3, d.ToString());
        Assert.True(d.Column > 0, d.ToString());
        Assert.Contains("default.rules", e.Message);
    }

    [Fact]
    public void FailingExamplesFailClosed()
    {
        var dir = Layer("home",
            ("a.rules", "prefix_rule(['git', 'push'], decision='prompt', match=['git status'])"),
            ("b.rules", "prefix_rule(['curl'], decision='forbidden', not_match=['curl x'])"));
        var result = RuleSetLoader.Load([dir]);
        Assert.Equal(["ExampleFailed", "ExampleFailed"], result.Errors.Select(d => d.Id));
        Assert.All(result.Errors, d => Assert.Equal(1, d.Line));
        var e = Assert.Throws<RulesLoadException>(() => result.GetRules());
        Assert.Contains("and 1 more", e.Message);
    }

    [Fact]
    public void ABrokenExtraFileFailsClosedToo()
    {
        var dir = Layer("home", ("a.rules", "prefix_rule(['curl'], decision='forbidden')"));
        var extra = Path.Combine(_root, "extra.rules");
        File.WriteAllText(extra, "prefix_rule(");
        var result = RuleSetLoader.Load([dir], [extra]);
        Assert.Equal(extra, Assert.Single(result.Errors).Path);
        Assert.Throws<RulesLoadException>(() => result.GetRules());
    }

    [Fact]
    public void ExtraFilesLoadAfterTheLayers()
    {
        var dir = Layer("home", ("a.rules", "prefix_rule(['a'])"));
        var extra = Path.Combine(_root, "extra.rules");
        File.WriteAllText(extra, "prefix_rule(['a'], decision='forbidden', justification='extra says no')");
        var result = RuleSetLoader.Load([dir], [extra]);
        Assert.Equal(RuleDecision.Forbidden, RuleSet.Strictest(result.GetRules().Match(["a"])));
        Assert.Contains(extra, result.Files);
    }
}
