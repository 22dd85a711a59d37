using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Tests.Analysis;

/// <summary>The acceptance check of the analysis issue.</summary>
public class DoneCheckTests
{
    [Theory]
    [InlineData("ls -la", CommandSafety.KnownSafe)]
    [InlineData("rm -rf /", CommandSafety.Dangerous)]
    [InlineData("git status", CommandSafety.KnownSafe)]
    [InlineData("pwsh -c \"Get-ChildItem\"", CommandSafety.KnownSafe)]
    [InlineData("bash -lc \"cat a | wc -l\"", CommandSafety.KnownSafe)]
    public void ClassifiesTheIssueExamples(string line, CommandSafety expected)
    {
        var a = CommandAnalyzer.Assess(line, null, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest);
        Assert.Equal(expected, a.Safety);
    }

    [Fact]
    public void ForbiddenRuleRejectsWithItsJustification()
    {
        var rules = RuleSet.Parse("/t/default.rules", "prefix_rule([\"curl\"], decision=\"forbidden\", justification=\"no network tools\")\n");
        var a = CommandAnalyzer.Assess("curl x", null, rules, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest);
        Assert.Equal(ApprovalDecision.Forbidden, a.Decision);
        Assert.Equal("`curl x` rejected: no network tools.", a.Reasons[0]);
        Assert.Equal("Rule `curl` (/t/default.rules:1) says forbidden.", a.Reasons[1]);   // the justification is said once
        var m = Assert.Single(a.MatchedRules);
        Assert.Equal("/t/default.rules:1", m.Source);
    }
}
