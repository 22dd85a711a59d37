using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Approval;

/// <summary>
/// The approval decision as a pure function (codex-behaviour.md §6.1, §6.2, §6.4, §7.1, §7.3).
/// </summary>
public static class ApprovalEngine
{
    public static ApprovalOutcome Decide(ApprovalRequest request)
    {
        var policy = request.ApprovalPolicy;
        bool fullAccess = request.SandboxMode == SandboxMode.DangerFullAccess;

        // §0 step 2: only on-request (and granular, which asks as on-request does) may ask to leave the sandbox
        if (request.RequestEscalation && policy is not (ApprovalPolicy.OnRequest or ApprovalPolicy.Granular))
        {
            var name = RustName(policy);
            return new ApprovalOutcome(ApprovalAction.Reject, false,
                $"approval policy is {name}; reject command — you should not ask for escalated permissions if the approval policy is {name}",
                false, false, false);
        }

        // requirements.toml keeps everything sandboxed: an escalation cannot be approved, so it is not asked
        if (request.RequestEscalation && !fullAccess && request.UnsandboxedRefusal is { } refusal)
        {
            return new ApprovalOutcome(ApprovalAction.Reject, false, $"escalation rejected: {refusal}", false, false, false);
        }
        bool mayLeave = request.UnsandboxedRefusal is null;

        var overall = RuleDecision.Allow;
        bool everySegmentAllowedByRule = request.Segments.Count > 0;
        bool rulePrompt = false, ruleForbidden = false;
        string? forbiddenReason = null, rulePromptReason = null, heuristicPromptReason = null;
        int forbiddenSpecificity = -1;

        foreach (var segment in request.Segments)
        {
            RuleDecision decision;
            var ruleDecision = RuleSet.Strictest(segment.RuleMatches);
            if (ruleDecision is RuleDecision rd)
            {
                decision = rd;
                if (rd != RuleDecision.Allow) everySegmentAllowedByRule = false;
                foreach (var m in segment.RuleMatches)
                {
                    if (m.Decision == RuleDecision.Forbidden && rd == RuleDecision.Forbidden && m.MatchedPrefix.Count > forbiddenSpecificity)
                    {
                        // the most specific (longest) forbidding prefix gives the reason
                        forbiddenSpecificity = m.MatchedPrefix.Count;
                        forbiddenReason = m.Justification is { } j
                            ? $"`{ShellWords.Join(segment.Argv)}` rejected: {j}"
                            : $"`{ShellWords.Join(segment.Argv)}` rejected: policy forbids commands starting with `{ShellWords.Join(m.MatchedPrefix)}`";
                        ruleForbidden = true;
                    }
                    if (m.Decision == RuleDecision.Prompt && rd == RuleDecision.Prompt && rulePromptReason is null)
                    {
                        rulePromptReason = m.Justification is { } j
                            ? $"`{ShellWords.Join(segment.Argv)}` requires approval: {j}"
                            : $"`{ShellWords.Join(segment.Argv)}` requires approval by policy";
                    }
                }
                if (rd == RuleDecision.Prompt) rulePrompt = true;
            }
            else
            {
                everySegmentAllowedByRule = false;
                decision = Heuristic(segment, request);
                if (decision == RuleDecision.Forbidden && forbiddenReason is null)
                {
                    forbiddenReason = $"`{ShellWords.Join(segment.Argv)}` rejected: blocked by policy";
                }
                if (decision == RuleDecision.Prompt && heuristicPromptReason is null)
                {
                    heuristicPromptReason = HeuristicPromptReason(segment, request);
                }
            }
            if (decision > overall) overall = decision;
        }

        if (overall == RuleDecision.Forbidden)
        {
            return new ApprovalOutcome(ApprovalAction.Reject, false, forbiddenReason, false, false, ruleForbidden);
        }

        if (overall == RuleDecision.Prompt)
        {
            if (policy == ApprovalPolicy.Never)
            {
                return new ApprovalOutcome(ApprovalAction.Reject, false,
                    "approval required by policy, but AskForApproval is set to Never", false, false, rulePrompt);
            }
            if (policy == ApprovalPolicy.Granular && GranularRejection(request.Granular, rulePrompt) is { } rejected)
            {
                return new ApprovalOutcome(ApprovalAction.Reject, false, rejected, false, false, rulePrompt);
            }
            bool sandboxed = !fullAccess && !request.RequestEscalation;
            var reason = rulePrompt ? rulePromptReason : heuristicPromptReason;
            // the user approved this run already, so a denial retry does not ask again
            return new ApprovalOutcome(ApprovalAction.Ask, sandboxed, reason,
                sandboxed && mayLeave && WantsNoSandboxApproval(policy), false, rulePrompt);
        }

        // §6.2: only explicit allow rules on every segment bypass the sandbox; §7.1: escalation and full access run without it
        bool bypass = (everySegmentAllowedByRule && mayLeave) || request.RequestEscalation || fullAccess;
        bool retry = !bypass && mayLeave && WantsNoSandboxApproval(policy);
        return new ApprovalOutcome(bypass ? ApprovalAction.RunUnsandboxed : ApprovalAction.RunSandboxed, !bypass,
            null, retry, retry, everySegmentAllowedByRule);
    }

    /// <summary>§6.1: the decision for a segment no rule matched.</summary>
    public static RuleDecision Heuristic(SegmentVerdict segment, ApprovalRequest request)
    {
        var policy = request.ApprovalPolicy;
        bool fullAccess = request.SandboxMode == SandboxMode.DangerFullAccess;
        // Known-safe means "runs inside the sandbox without asking". A request to leave a restricted sandbox is a
        // different question, asked like any other command's (Codex #20305).
        bool leavesSandbox = request.RequestEscalation && !fullAccess;
        if (segment.IsKnownSafe && !request.UsesComplexParsing && !leavesSandbox) return RuleDecision.Allow;
        if (segment.IsDangerous || (request.Os == HostOs.Windows && request.SandboxMode == SandboxMode.ReadOnly))
        {
            if (policy == ApprovalPolicy.Never) return fullAccess ? RuleDecision.Allow : RuleDecision.Forbidden;
            return RuleDecision.Prompt;
        }
        return policy switch
        {
            ApprovalPolicy.Never or ApprovalPolicy.OnFailure => RuleDecision.Allow,
            ApprovalPolicy.Untrusted => RuleDecision.Prompt,
            _ => fullAccess ? RuleDecision.Allow : request.RequestEscalation ? RuleDecision.Prompt : RuleDecision.Allow,
        };
    }

    /// <summary>
    /// Under a granular policy, the reason a prompt is rejected without asking (Codex's text), or null when its category
    /// may ask: a prompt raised by an exec-policy rule checks <c>rules</c>, every other one <c>sandbox_approval</c>.
    /// </summary>
    private static string? GranularRejection(GranularApproval? flags, bool rulePrompt) => rulePrompt
        ? flags?.Rules == true ? null : "approval required by policy rule, but AskForApproval::Granular.rules is false"
        : flags?.SandboxApproval == true ? null : "approval required by policy, but AskForApproval::Granular.sandbox_approval is false";

    /// <summary>§7.3 <c>wants_no_sandbox_approval</c> for shell commands.</summary>
    public static bool WantsNoSandboxApproval(ApprovalPolicy policy) => policy is ApprovalPolicy.OnFailure or ApprovalPolicy.Untrusted;

    private static string HeuristicPromptReason(SegmentVerdict segment, ApprovalRequest request)
    {
        var cmd = ShellWords.Join(segment.Argv);
        if (segment.IsDangerous) return $"`{cmd}` might be dangerous: {segment.DangerReason}";
        if (request.RequestEscalation)
        {
            return string.IsNullOrWhiteSpace(request.Justification)
                ? $"`{cmd}` asks to run outside the sandbox"
                : request.Justification!;
        }
        if (request.Os == HostOs.Windows && request.SandboxMode == SandboxMode.ReadOnly)
        {
            return $"`{cmd}` is not known to be safe and read-only mode has no sandbox on Windows";
        }
        return $"`{cmd}` is not on the known-safe list and the approval policy is untrusted";
    }

    /// <summary>Codex prints the policy with Rust's Debug formatting.</summary>
    private static string RustName(ApprovalPolicy policy) => policy switch
    {
        ApprovalPolicy.Untrusted => "UnlessTrusted",
        ApprovalPolicy.OnFailure => "OnFailure",
        ApprovalPolicy.OnRequest => "OnRequest",
        ApprovalPolicy.Granular => "Granular",
        _ => "Never",
    };
}
