using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Tests.Approval;

/// <summary>
/// The approval matrix under <c>approval_policy = { granular = { … } }</c> (codex-config-2026.md §4): the granular policy
/// decides whether to ask as on-request does; a prompt whose category is false is rejected with Codex's reason.
/// </summary>
public class GranularApprovalMatrixTests
{
    private const string SandboxOff = "approval required by policy, but AskForApproval::Granular.sandbox_approval is false";
    private const string RulesOff = "approval required by policy rule, but AskForApproval::Granular.rules is false";

    private static readonly GranularApproval AllOn = new(true, true, true);

    private static SegmentVerdict Segment(char cls, params RuleMatch[] rules) => new(
        cls == 'S' ? ["ls"] : cls == 'D' ? ["rm", "-rf", "x"] : ["cargo", "build"],
        cls == 'S', cls == 'D', cls == 'D' ? "rm -rf forcibly deletes a whole tree" : null, rules);

    private static ApprovalOutcome Decide(char cls, SandboxMode mode, ApprovalPolicy policy, GranularApproval? flags, params RuleMatch[] rules)
    {
        bool escalate = cls is 'E' or 'K';
        var segment = Segment(cls == 'E' ? 'U' : cls == 'K' ? 'S' : cls, rules);
        return ApprovalEngine.Decide(new ApprovalRequest([segment], false, mode, policy,
            RequestEscalation: escalate, Justification: escalate ? "needs the network" : null, Granular: flags));
    }

    private static RuleMatch PromptRule() => new("cargo", ["cargo"], RuleDecision.Prompt, "check first", "/r/default.rules", 1, null);

    public static TheoryData<char, SandboxMode> Cells()
    {
        var data = new TheoryData<char, SandboxMode>();
        foreach (var cls in "SUDEK")
        {
            foreach (var mode in new[] { SandboxMode.ReadOnly, SandboxMode.WorkspaceWrite, SandboxMode.DangerFullAccess }) data.Add(cls, mode);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void WithEveryCategoryOnItAsksAsOnRequestDoes(char cls, SandboxMode mode)
    {
        var onRequest = Decide(cls, mode, ApprovalPolicy.OnRequest, null);
        var granular = Decide(cls, mode, ApprovalPolicy.Granular, AllOn);
        Assert.Equal(onRequest, granular);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void WithSandboxApprovalOffEveryNonRulePromptIsRejected(char cls, SandboxMode mode)
    {
        var onRequest = Decide(cls, mode, ApprovalPolicy.OnRequest, null);
        var granular = Decide(cls, mode, ApprovalPolicy.Granular, AllOn with { SandboxApproval = false });
        if (onRequest.Action == ApprovalAction.Ask)
        {
            Assert.Equal(ApprovalAction.Reject, granular.Action);
            Assert.Equal(SandboxOff, granular.Reason);
        }
        else Assert.Equal(onRequest, granular);
    }

    [Fact]
    public void KnownSafeEscalationIsRejectedWhenSandboxApprovalIsOff()
    {
        // Codex exec_policy_tests: a known-safe command that asks to escalate prompts under on-request; with granular
        // sandbox_approval = false that prompt is rejected instead
        var o = Decide('K', SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, AllOn with { SandboxApproval = false });
        Assert.Equal(ApprovalAction.Reject, o.Action);
        Assert.Equal(SandboxOff, o.Reason);
        Assert.Equal(ApprovalAction.Ask, Decide('K', SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, AllOn).Action);
    }

    [Fact]
    public void RulePromptsCheckTheRulesFlagOnly()
    {
        var rulesOff = Decide('U', SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, AllOn with { Rules = false }, PromptRule());
        Assert.Equal(ApprovalAction.Reject, rulesOff.Action);
        Assert.Equal(RulesOff, rulesOff.Reason);
        Assert.True(rulesOff.DecidedByRule);

        var sandboxOff = Decide('U', SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, AllOn with { SandboxApproval = false }, PromptRule());
        Assert.Equal(ApprovalAction.Ask, sandboxOff.Action);
        Assert.Equal("`cargo build` requires approval: check first", sandboxOff.Reason);

        // a dangerous command with rules off but sandbox_approval on still asks: it is not a rule prompt
        Assert.Equal(ApprovalAction.Ask, Decide('D', SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, AllOn with { Rules = false }).Action);
    }

    [Fact]
    public void MissingFlagsRejectEveryPrompt()
    {
        // fail closed: a granular policy that reached the engine without its flags asks nothing
        Assert.Equal(SandboxOff, Decide('D', SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, null).Reason);
        Assert.Equal(RulesOff, Decide('U', SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, null, PromptRule()).Reason);
    }

    [Fact]
    public void TheAnalyzerPassesTheFlagsThrough()
    {
        var flags = AllOn with { SandboxApproval = false };
        var a = CommandAnalyzer.Assess("rm -rf /tmp/x", ShellKind.Posix, RuleSet.Empty, SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, granular: flags);
        Assert.Equal(ApprovalDecision.Forbidden, a.Decision);
        Assert.Contains(SandboxOff + ".", a.Reasons); // the analyzer's reasons are sentences
        var asks = CommandAnalyzer.Assess("rm -rf /tmp/x", ShellKind.Posix, RuleSet.Empty, SandboxMode.WorkspaceWrite, ApprovalPolicy.Granular, granular: AllOn);
        Assert.Equal(ApprovalDecision.Prompt, asks.Decision);
    }
}
