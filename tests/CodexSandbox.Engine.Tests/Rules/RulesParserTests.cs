using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Tests.Rules;

public class RulesParserTests
{
    private static RulesParseException Fails(string text)
        => Assert.Throws<RulesParseException>(() => RuleSet.Parse("/r/test.rules", text));

    [Fact]
    public void ParsesKeywordAndPositionalArguments()
    {
        var set = RuleSet.Parse("/r/a.rules", """
            # comment line
            prefix_rule(pattern = ["git", "push"], decision = "prompt", justification = "pushes leave the machine",)
            prefix_rule(["rm"], "forbidden")   # trailing comment
            prefix_rule(
                pattern=["cargo", ["build", "test"]],
                match=["cargo build", ["cargo", "test", "--all"]],
                not_match=["cargo fmt"],
            )
            """);
        Assert.Equal(3, set.PrefixRules.Count);
        var push = set.PrefixRules[0];
        Assert.Equal(RuleDecision.Prompt, push.Decision);
        Assert.Equal("pushes leave the machine", push.Justification);
        Assert.Equal(2, push.SourceLine);
        Assert.Equal(RuleDecision.Forbidden, set.PrefixRules[1].Decision);
        Assert.Equal(RuleDecision.Allow, set.PrefixRules[2].Decision);
        Assert.Equal("cargo [build|test]", set.PrefixRules[2].PatternText);
        Assert.Equal(4, set.PrefixRules[2].SourceLine);
    }

    [Fact]
    public void FirstPositionAlternativesBecomeOneRuleEach()
    {
        var set = RuleSet.Parse("/r/a.rules", "prefix_rule(pattern=[[\"npm\", \"pnpm\"], \"install\"])");
        Assert.Equal(["npm", "pnpm"], set.PrefixRules.Select(r => r.Program));
        Assert.Single(set.Match(["pnpm", "install", "x"]));
        Assert.Empty(set.Match(["pnpm", "run"]));
    }

    [Fact]
    public void StringsSupportEscapesRawAndTripleQuotes()
    {
        var set = RuleSet.Parse("/r/a.rules", "prefix_rule(['a\\tb', \"q\\\"\", r'c\\d', '''x\ny''', \"\\x41\\u00e9\"])");
        var r = set.PrefixRules[0];
        Assert.Equal("a\tb", r.Program);
        Assert.Equal(["q\"", "c\\d", "x\ny", "Aé"], r.Rest.Select(a => a[0]));
    }

    [Fact]
    public void AssignmentsAndConcatenationWork()
    {
        var set = RuleSet.Parse("/r/a.rules", "GIT = [\"git\"]\nprefix_rule(GIT + [\"push\"], decision=\"prompt\")\n");
        Assert.Equal("git push", set.PrefixRules[0].PatternText);
    }

    [Theory]
    [InlineData("prefix_rule(pattern=[])", 1, "pattern cannot be empty")]
    [InlineData("\n\nprefix_rule(pattern=[[]])", 3, "pattern alternatives cannot be empty")]
    [InlineData("prefix_rule(pattern=[[1]])", 1, "pattern alternative must be a string (got int)")]
    [InlineData("prefix_rule(pattern=[1])", 1, "pattern element must be a string or list of strings (got int)")]
    [InlineData("prefix_rule(pattern=['a'], decision='maybe')", 1, "invalid decision")]
    [InlineData("prefix_rule(pattern=['a'], justification='   ')", 1, "justification cannot be empty")]
    [InlineData("prefix_rule(pattern=['a'], match=['a \"b'])", 1, "example string has invalid shell syntax")]
    [InlineData("prefix_rule(pattern=['a'], match=[''])", 1, "example cannot be an empty string")]
    [InlineData("prefix_rule(pattern=['a'], match=[[]])", 1, "example cannot be an empty list")]
    [InlineData("prefix_rule(decision='allow')", 1, "missing required argument 'pattern'")]
    [InlineData("prefix_rule(pattern=['a'], colour='red')", 1, "unexpected keyword argument 'colour'")]
    [InlineData("define_program(program='ls')", 1, "unknown function 'define_program'")]
    [InlineData("prefix_rule(pattern=['a'],\n  decision='allow'\n", 3, "expected ',' or ')'")]
    [InlineData("ok = 1\nprefix_rule(pattern=['a', \"b])", 2, "unterminated string literal")]
    [InlineData("prefix_rule(pattern=[x])", 1, "variable 'x' is not defined")]
    [InlineData("prefix_rule(pattern=['\\q'])", 1, "invalid escape sequence")]
    [InlineData("prefix_rule(pattern=f'a')", 1, "f-strings are not supported")]
    [InlineData("host_executable(name='/usr/bin/git', paths=[])", 1, "must be a bare executable name")]
    [InlineData("host_executable(name='', paths=[])", 1, "host_executable name cannot be empty")]
    [InlineData("host_executable(name='git', paths=['git'])", 1, "host_executable paths must be absolute (got git)")]
    [InlineData("host_executable(name='git', paths=['/usr/bin/hg'])", 1, "host_executable path `/usr/bin/hg` must have basename `git`")]
    [InlineData("network_rule(host='*.example.com', protocol='https', decision='allow')", 1, "wildcards are not allowed")]
    [InlineData("network_rule(host='https://x.com', protocol='https', decision='allow')", 1, "not a URL")]
    [InlineData("network_rule(host='x.com', protocol='ftp', decision='allow')", 1, "invalid network_rule protocol")]
    [InlineData("network_rule(host='x.com', protocol='http', decision='forbidden')", 1, "invalid network_rule decision")]
    public void ReportsErrorsWithTheirLine(string text, int line, string message)
    {
        var e = Fails(text);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Detail);
        Assert.StartsWith($"/r/test.rules:{line}: ", e.Message);
    }

    [Fact]
    public void FailingExamplesAreLoadErrors()
    {
        var notMatch = Fails("\nprefix_rule(pattern=['git', 'push'], not_match=['git push --force'])");
        Assert.Equal("ExampleFailed", notMatch.Id);
        Assert.Equal(2, notMatch.Line);
        Assert.Contains("git push --force", notMatch.Detail);
        var match = Fails("prefix_rule(pattern=['git', 'push'], match=['git pull'])");
        Assert.Equal("ExampleFailed", match.Id);
        // examples are checked with basename resolution on
        RuleSet.Parse("/r/ok.rules", "prefix_rule(pattern=['git', 'push'], match=['/usr/bin/git push'], not_match=['git pull'])");
    }

    [Fact]
    public void NetworkRulesNormaliseHostsAndFoldInOrder()
    {
        var set = RuleSet.Parse("/r/n.rules", """
            network_rule(host=" Example.COM.:443 ", protocol="https_connect", decision="allow")
            network_rule(host="[::1]:8080", protocol="http", decision="deny", justification="local")
            network_rule(host="example.com", protocol="https", decision="deny")
            network_rule(host="example.com", protocol="https", decision="prompt")
            """);
        Assert.Equal("example.com", set.NetworkRules[0].Host);
        Assert.Equal("https", set.NetworkRules[0].Protocol);
        Assert.Equal("::1", set.NetworkRules[1].Host);
        var folded = set.CompiledNetworkDomains();
        Assert.Equal(RuleDecision.Forbidden, folded["example.com"]);
        Assert.Equal(RuleDecision.Forbidden, folded["::1"]);
    }
}
