using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Tests.Approval;

/// <summary>Every cell of codex-behaviour.md §6.4 (the Linux rows), plus the rule overrides.</summary>
public class ApprovalMatrixTests
{
    // S known-safe, U ordinary, D dangerous, E ordinary with an escalation request, K known-safe with an escalation request
    private static SegmentVerdict Segment(char cls, params RuleMatch[] rules) => new(
        cls == 'S' ? ["ls"] : cls == 'D' ? ["rm", "-rf", "x"] : ["cargo", "build"],
        cls == 'S', cls == 'D', cls == 'D' ? "rm -rf forcibly deletes a whole tree" : null, rules);

    private static ApprovalOutcome Decide(char cls, SandboxMode mode, ApprovalPolicy policy, params RuleMatch[] rules)
    {
        bool escalate = cls is 'E' or 'K';
        var segment = Segment(cls == 'E' ? 'U' : cls == 'K' ? 'S' : cls, rules);
        return ApprovalEngine.Decide(new ApprovalRequest([segment], false, mode, policy,
            RequestEscalation: escalate, Justification: escalate ? "needs the network" : null));
    }

    private const SandboxMode RO = SandboxMode.ReadOnly;
    private const SandboxMode WW = SandboxMode.WorkspaceWrite;
    private const SandboxMode DFA = SandboxMode.DangerFullAccess;

    // expected: action / sandboxed / retry offered / retry needs prompt
    [Theory]
    // untrusted, RO/WW
    [InlineData('S', RO, ApprovalPolicy.Untrusted, ApprovalAction.RunSandboxed, true, true, true)]
    [InlineData('U', WW, ApprovalPolicy.Untrusted, ApprovalAction.Ask, true, true, false)]
    [InlineData('D', WW, ApprovalPolicy.Untrusted, ApprovalAction.Ask, true, true, false)]
    [InlineData('E', WW, ApprovalPolicy.Untrusted, ApprovalAction.Reject, false, false, false)]
    // untrusted, DFA
    [InlineData('S', DFA, ApprovalPolicy.Untrusted, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('U', DFA, ApprovalPolicy.Untrusted, ApprovalAction.Ask, false, false, false)]
    [InlineData('D', DFA, ApprovalPolicy.Untrusted, ApprovalAction.Ask, false, false, false)]
    [InlineData('E', DFA, ApprovalPolicy.Untrusted, ApprovalAction.Reject, false, false, false)]
    // on-failure, RO/WW
    [InlineData('S', WW, ApprovalPolicy.OnFailure, ApprovalAction.RunSandboxed, true, true, true)]
    [InlineData('U', RO, ApprovalPolicy.OnFailure, ApprovalAction.RunSandboxed, true, true, true)]
    [InlineData('D', WW, ApprovalPolicy.OnFailure, ApprovalAction.Ask, true, true, false)]
    [InlineData('E', WW, ApprovalPolicy.OnFailure, ApprovalAction.Reject, false, false, false)]
    // on-failure, DFA
    [InlineData('S', DFA, ApprovalPolicy.OnFailure, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('U', DFA, ApprovalPolicy.OnFailure, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('D', DFA, ApprovalPolicy.OnFailure, ApprovalAction.Ask, false, false, false)]
    [InlineData('E', DFA, ApprovalPolicy.OnFailure, ApprovalAction.Reject, false, false, false)]
    // on-request, RO/WW
    [InlineData('S', RO, ApprovalPolicy.OnRequest, ApprovalAction.RunSandboxed, true, false, false)]
    [InlineData('U', WW, ApprovalPolicy.OnRequest, ApprovalAction.RunSandboxed, true, false, false)]
    [InlineData('D', WW, ApprovalPolicy.OnRequest, ApprovalAction.Ask, true, false, false)]
    [InlineData('E', WW, ApprovalPolicy.OnRequest, ApprovalAction.Ask, false, false, false)]
    // on-request, DFA
    [InlineData('S', DFA, ApprovalPolicy.OnRequest, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('U', DFA, ApprovalPolicy.OnRequest, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('D', DFA, ApprovalPolicy.OnRequest, ApprovalAction.Ask, false, false, false)]
    [InlineData('E', DFA, ApprovalPolicy.OnRequest, ApprovalAction.RunUnsandboxed, false, false, false)]
    // never, RO/WW
    [InlineData('S', RO, ApprovalPolicy.Never, ApprovalAction.RunSandboxed, true, false, false)]
    [InlineData('U', WW, ApprovalPolicy.Never, ApprovalAction.RunSandboxed, true, false, false)]
    [InlineData('D', WW, ApprovalPolicy.Never, ApprovalAction.Reject, false, false, false)]
    [InlineData('E', WW, ApprovalPolicy.Never, ApprovalAction.Reject, false, false, false)]
    // never, DFA
    [InlineData('S', DFA, ApprovalPolicy.Never, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('U', DFA, ApprovalPolicy.Never, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('D', DFA, ApprovalPolicy.Never, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('E', DFA, ApprovalPolicy.Never, ApprovalAction.Reject, false, false, false)]
    // known-safe with an escalation request (Codex #20305): the known-safe shortcut means "runs in the sandbox
    // without asking", so leaving the sandbox asks under on-request, and is rejected where E is
    [InlineData('K', WW, ApprovalPolicy.Untrusted, ApprovalAction.Reject, false, false, false)]
    [InlineData('K', DFA, ApprovalPolicy.Untrusted, ApprovalAction.Reject, false, false, false)]
    [InlineData('K', RO, ApprovalPolicy.OnFailure, ApprovalAction.Reject, false, false, false)]
    [InlineData('K', RO, ApprovalPolicy.OnRequest, ApprovalAction.Ask, false, false, false)]
    [InlineData('K', WW, ApprovalPolicy.OnRequest, ApprovalAction.Ask, false, false, false)]
    [InlineData('K', DFA, ApprovalPolicy.OnRequest, ApprovalAction.RunUnsandboxed, false, false, false)]
    [InlineData('K', WW, ApprovalPolicy.Never, ApprovalAction.Reject, false, false, false)]
    [InlineData('K', DFA, ApprovalPolicy.Never, ApprovalAction.Reject, false, false, false)]
    public void MatrixCell(char cls, SandboxMode mode, ApprovalPolicy policy, ApprovalAction action, bool sandboxed, bool retry, bool retryPrompt)
    {
        var o = Decide(cls, mode, policy);
        Assert.Equal(action, o.Action);
        if (action != ApprovalAction.Reject) Assert.Equal(sandboxed, o.Sandboxed);
        Assert.Equal(retry, o.OfferUnsandboxedRetry);
        Assert.Equal(retryPrompt, o.RetryNeedsPrompt);
    }

    [Fact]
    public void ReasonsUseCodexWording()
    {
        Assert.Equal("`rm -rf x` rejected: blocked by policy", Decide('D', WW, ApprovalPolicy.Never).Reason);
        Assert.Equal("approval policy is UnlessTrusted; reject command — you should not ask for escalated permissions if the approval policy is UnlessTrusted",
            Decide('E', WW, ApprovalPolicy.Untrusted).Reason);
        Assert.Equal("needs the network", Decide('E', WW, ApprovalPolicy.OnRequest).Reason);
        Assert.Contains("might be dangerous", Decide('D', WW, ApprovalPolicy.OnRequest).Reason);
    }

    private static RuleMatch Rule(RuleDecision d, string? justification = null, params string[] prefix)
        => new(string.Join(' ', prefix), prefix, d, justification, "/r/default.rules", 1, null);

    [Theory]
    [InlineData(ApprovalPolicy.Untrusted)]
    [InlineData(ApprovalPolicy.OnFailure)]
    [InlineData(ApprovalPolicy.OnRequest)]
    [InlineData(ApprovalPolicy.Never)]
    public void ForbiddenRuleRejectsUnderEveryPolicy(ApprovalPolicy policy)
    {
        foreach (var mode in new[] { RO, WW, DFA })
        {
            var o = Decide('S', mode, policy, Rule(RuleDecision.Forbidden, null, "ls"));
            Assert.Equal(ApprovalAction.Reject, o.Action);
            Assert.Equal("`ls` rejected: policy forbids commands starting with `ls`", o.Reason);
            Assert.True(o.DecidedByRule);
        }
    }

    [Fact]
    public void MostSpecificForbiddenRuleGivesTheReason()
    {
        var o = Decide('U', WW, ApprovalPolicy.OnRequest,
            Rule(RuleDecision.Forbidden, "no cargo", "cargo"), Rule(RuleDecision.Forbidden, "no builds", "cargo", "build"));
        Assert.Equal("`cargo build` rejected: no builds", o.Reason);
    }

    [Theory]
    [InlineData(ApprovalPolicy.Untrusted, ApprovalAction.Ask)]
    [InlineData(ApprovalPolicy.OnFailure, ApprovalAction.Ask)]
    [InlineData(ApprovalPolicy.OnRequest, ApprovalAction.Ask)]
    [InlineData(ApprovalPolicy.Never, ApprovalAction.Reject)]
    public void PromptRuleAsksOrRejectsUnderNever(ApprovalPolicy policy, ApprovalAction action)
    {
        var o = Decide('S', WW, policy, Rule(RuleDecision.Prompt, "check first", "ls"));
        Assert.Equal(action, o.Action);
        Assert.Equal(policy == ApprovalPolicy.Never
            ? "approval required by policy, but AskForApproval is set to Never"
            : "`ls` requires approval: check first", o.Reason);
        Assert.Equal("`ls` requires approval by policy", Decide('S', WW, ApprovalPolicy.OnRequest, Rule(RuleDecision.Prompt, null, "ls")).Reason);
    }

    [Theory]
    [InlineData('U', ApprovalPolicy.Untrusted)]
    [InlineData('D', ApprovalPolicy.Never)]
    [InlineData('U', ApprovalPolicy.OnRequest)]
    public void AllowRuleOnEverySegmentBypassesTheSandbox(char cls, ApprovalPolicy policy)
    {
        var o = Decide(cls, WW, policy, Rule(RuleDecision.Allow, null, cls == 'D' ? "rm" : "cargo"));
        Assert.Equal(ApprovalAction.RunUnsandboxed, o.Action);
        Assert.True(o.DecidedByRule);
        Assert.False(o.OfferUnsandboxedRetry);
    }

    [Fact]
    public void AllowRuleOnOnlySomeSegmentsStaysSandboxed()
    {
        var o = ApprovalEngine.Decide(new ApprovalRequest(
            [Segment('U', Rule(RuleDecision.Allow, null, "cargo")), Segment('S')], false, WW, ApprovalPolicy.OnRequest));
        Assert.Equal(ApprovalAction.RunSandboxed, o.Action);
        Assert.False(o.DecidedByRule);
    }

    [Fact]
    public void OverallDecisionIsTheMaximumAcrossSegments()
    {
        var o = ApprovalEngine.Decide(new ApprovalRequest([Segment('S'), Segment('D'), Segment('U')], false, WW, ApprovalPolicy.OnRequest));
        Assert.Equal(ApprovalAction.Ask, o.Action);
        var never = ApprovalEngine.Decide(new ApprovalRequest([Segment('S'), Segment('D')], false, WW, ApprovalPolicy.Never));
        Assert.Equal(ApprovalAction.Reject, never.Action);
    }

    [Fact]
    public void ComplexParsingIsNeverAutoApprovedAsSafe()
    {
        var o = ApprovalEngine.Decide(new ApprovalRequest([Segment('S')], true, WW, ApprovalPolicy.Untrusted));
        Assert.Equal(ApprovalAction.Ask, o.Action);
    }

    [Fact]
    public void WindowsReadOnlyTreatsEveryUnsafeCommandAsDangerous()
    {
        var ask = ApprovalEngine.Decide(new ApprovalRequest([Segment('U')], false, RO, ApprovalPolicy.OnRequest, Os: HostOs.Windows));
        Assert.Equal(ApprovalAction.Ask, ask.Action);
        var reject = ApprovalEngine.Decide(new ApprovalRequest([Segment('U')], false, RO, ApprovalPolicy.Never, Os: HostOs.Windows));
        Assert.Equal(ApprovalAction.Reject, reject.Action);
        var linux = ApprovalEngine.Decide(new ApprovalRequest([Segment('U')], false, RO, ApprovalPolicy.OnRequest, Os: HostOs.Linux));
        Assert.Equal(ApprovalAction.RunSandboxed, linux.Action);
    }

    [Fact]
    public void KnownSafeEscalationAsksUnderOnRequest()
    {
        // Codex known_safe_escalation_on_request_requires_approval / exec_approval_requirement_prompts_for_known_safe_escalation_under_on_request
        var o = ApprovalEngine.Decide(new ApprovalRequest([Segment('S')], false, WW, ApprovalPolicy.OnRequest,
            RequestEscalation: true, Justification: "needs the host's docker socket"));
        Assert.Equal(ApprovalAction.Ask, o.Action);
        Assert.False(o.Sandboxed);
        Assert.Equal("needs the host's docker socket", o.Reason);
        Assert.False(o.DecidedByRule);
        // without the request the shortcut still holds
        Assert.Equal(ApprovalAction.RunSandboxed, Decide('S', WW, ApprovalPolicy.OnRequest).Action);
        // Windows read-only has no sandbox to leave, but the escalation still asks
        var windows = ApprovalEngine.Decide(new ApprovalRequest([Segment('S')], false, RO, ApprovalPolicy.OnRequest,
            RequestEscalation: true, Os: HostOs.Windows));
        Assert.Equal(ApprovalAction.Ask, windows.Action);
    }

    [Fact]
    public void AllowRuleStillApprovesAnEscalation()
    {
        // an explicit allow rule decides before the heuristics: it already runs the command without the sandbox
        var o = Decide('K', WW, ApprovalPolicy.OnRequest, Rule(RuleDecision.Allow, null, "ls"));
        Assert.Equal(ApprovalAction.RunUnsandboxed, o.Action);
        Assert.True(o.DecidedByRule);
    }
}

/// <summary>
/// The heredoc rows (Codex #20113), through the analyzer: with <c>prefix_rule(["cat"])</c> allowing <c>cat</c>, only a
/// heredoc that is nothing but <c>cat</c> reading its body is reduced to <c>cat</c>. An extra file redirect or a variable
/// assignment keeps the whole script, which no allow rule matches: it runs in the sandbox, or asks.
/// </summary>
public class HeredocApprovalMatrixTests
{
    private const string Plain = "cat <<'EOF'\nhello\nEOF";
    private const string Redirect = "cat <<'EOF' > out.txt\nhello\nEOF";
    private const string Assignment = "PATH=/tmp/evil:$PATH cat <<'EOF'\nhello\nEOF";
    private const string Exported = "LC_ALL=C cat <<'EOF'\nhello\nEOF";

    private static readonly RuleSet AllowCat = RuleSet.Parse("/r/default.rules", "prefix_rule(pattern=['cat'], decision='allow')");

    public static TheoryData<string, SandboxMode, ApprovalPolicy, bool, ApprovalAction, bool> Cells()
    {
        var data = new TheoryData<string, SandboxMode, ApprovalPolicy, bool, ApprovalAction, bool>();
        foreach (var script in new[] { Redirect, Assignment, Exported })
        {
            data.Add(script, SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted, false, ApprovalAction.Ask, true);
            data.Add(script, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnFailure, false, ApprovalAction.RunSandboxed, true);
            data.Add(script, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, false, ApprovalAction.RunSandboxed, true);
            data.Add(script, SandboxMode.ReadOnly, ApprovalPolicy.OnRequest, false, ApprovalAction.RunSandboxed, true);
            data.Add(script, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, true, ApprovalAction.Ask, false);
            data.Add(script, SandboxMode.WorkspaceWrite, ApprovalPolicy.Never, false, ApprovalAction.RunSandboxed, true);
            data.Add(script, SandboxMode.WorkspaceWrite, ApprovalPolicy.Never, true, ApprovalAction.Reject, false);
            data.Add(script, SandboxMode.DangerFullAccess, ApprovalPolicy.OnRequest, false, ApprovalAction.RunUnsandboxed, false);
        }
        // the plain heredoc is reduced to `cat`, and the allow rule runs it without the sandbox (Codex
        // evaluates_heredoc_script_against_prefix_rules), escalation or not
        data.Add(Plain, SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted, false, ApprovalAction.RunUnsandboxed, false);
        data.Add(Plain, SandboxMode.ReadOnly, ApprovalPolicy.OnRequest, false, ApprovalAction.RunUnsandboxed, false);
        data.Add(Plain, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, true, ApprovalAction.RunUnsandboxed, false);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void HeredocCell(string script, SandboxMode mode, ApprovalPolicy policy, bool escalate, ApprovalAction action, bool sandboxed)
    {
        foreach (var shell in new[] { "bash", "zsh" })
        {
            var a = CommandAnalyzer.AssessArgv([shell, "-lc", script], AllowCat, mode, policy, escalate, escalate ? "needs the host" : null);
            var expected = action switch
            {
                ApprovalAction.Ask => ApprovalDecision.Prompt,
                ApprovalAction.Reject => ApprovalDecision.Forbidden,
                _ => ApprovalDecision.Allow,
            };
            Assert.Equal(expected, a.Decision);
            if (action != ApprovalAction.Reject) Assert.Equal(sandboxed, a.RunsSandboxed);
            Assert.Equal(script == Plain, a.DecidedByRule);
        }
    }

    [Fact]
    public void RedirectAndAssignmentKeepTheWholeScript()
    {
        foreach (var script in new[] { Redirect, Assignment, Exported })
        {
            var a = CommandAnalyzer.AssessArgv(["bash", "-lc", script], AllowCat, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest);
            Assert.False(a.UsesComplexParsing);
            Assert.Equal(["bash", "-lc", script], Assert.Single(a.Segments));
            Assert.Empty(a.MatchedRules);
        }
    }
}
