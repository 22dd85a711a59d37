using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Tests.Rules;

public class RuleSetTests
{
    [Fact]
    public void PrefixMatchingNeedsEveryPatternToken()
    {
        var set = RuleSet.Parse("/r/a.rules", "prefix_rule(['git', ['push', 'fetch'], 'origin'], decision='prompt')");
        Assert.Single(set.Match(["git", "push", "origin", "main"]));
        Assert.Single(set.Match(["git", "fetch", "origin"]));
        Assert.Empty(set.Match(["git", "push"]));
        Assert.Empty(set.Match(["git", "pull", "origin"]));
        Assert.Empty(set.Match(["Git", "push", "origin"]));
    }

    [Fact]
    public void StrictestDecisionWinsAndAllMatchesAreReturned()
    {
        var set = RuleSet.Parse("/r/a.rules", """
            prefix_rule(['git'], decision='allow')
            prefix_rule(['git', 'push'], decision='forbidden')
            prefix_rule(['git', 'push', '--force'], decision='prompt')
            """);
        var matches = set.Match(["git", "push", "--force"]);
        Assert.Equal(3, matches.Count);
        Assert.Equal(RuleDecision.Forbidden, RuleSet.Strictest(matches));
        Assert.Null(RuleSet.Strictest([]));
    }

    [Fact]
    public void AbsolutePathsFallBackToTheBasename()
    {
        var set = RuleSet.Parse("/r/a.rules", "prefix_rule(['git', 'push'], decision='prompt')");
        var m = Assert.Single(set.Match(["/usr/bin/git", "push"]));
        Assert.Equal("/usr/bin/git", m.ResolvedProgram);
        Assert.Equal(["git", "push"], m.MatchedPrefix);
        Assert.Empty(set.Match(["./git", "push"]));
    }

    [Fact]
    public void HostExecutableRestrictsTheFallback()
    {
        var set = RuleSet.Parse("/r/a.rules", """
            prefix_rule(['git', 'push'], decision='prompt')
            host_executable(name='git', paths=['/usr/bin/git', '/usr/bin/git'])
            """);
        Assert.Single(set.Match(["/usr/bin/git", "push"]));
        Assert.Empty(set.Match(["/tmp/evil/git", "push"]));
        Assert.Single(set.HostExecutables["git"]);
        // an exact rule for the path itself still matches
        var exact = RuleSet.Parse("/r/b.rules", "prefix_rule(['/tmp/evil/git'], decision='forbidden')\nhost_executable(name='git', paths=[])");
        Assert.Single(exact.Match(["/tmp/evil/git", "push"]));
    }

    [Fact]
    public void LaterHostExecutableDefinitionWins()
    {
        var set = RuleSet.Parse("/r/a.rules", """
            prefix_rule(['git'], decision='prompt')
            host_executable(name='git', paths=['/usr/bin/git'])
            host_executable(name='git', paths=['/opt/git/bin/git'])
            """);
        Assert.Empty(set.Match(["/usr/bin/git"]));
        Assert.Single(set.Match(["/opt/git/bin/git"]));
    }
}
