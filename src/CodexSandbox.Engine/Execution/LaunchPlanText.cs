namespace CodexSandbox.Engine.Execution;

/// <summary>
/// The text <c>-WhatIf</c>, <c>-Confirm</c> and <c>-Verbose</c> show for one planned run: the decision, then the plan it
/// carries out (its notes, for review, are on the plan itself: <c>$result.LaunchPlan</c>, <c>Get-SandboxPolicy -TargetPlatform</c>).
/// </summary>
public static class LaunchPlanText
{
    public static string Describe(string display, CommandAssessment assessment, LaunchPlan plan)
    {
        // The Seatbelt profile is one long argument: the argv names it, and it follows on its own lines.
        var shown = plan.Arguments.Select(a => plan.Profile is not null && ReferenceEquals(a, plan.Profile) ? "<profile>" : Quote(a));
        var lines = new List<string>
        {
            $"Run '{display}' with backend {plan.Backend}: {assessment.Safety}, decision {assessment.Decision}{(assessment.Decision == ApprovalDecision.Prompt ? " (would ask)" : "")}.",
            $"  argv: {string.Join(' ', new[] { Quote(plan.Program) }.Concat(shown))}",
        };
        lines.AddRange(plan.HostActions.Describe().Select(l => "  " + l));
        if (plan.AclPlan is { } acl) lines.AddRange(acl.Select(a => "  acl: " + a));
        if (plan.Proxy is { } proxy) lines.Add($"  proxy: {proxy}");
        var changes = plan.EnvironmentChanges.Select(kv => kv.Value is null ? $"-{kv.Key}" : $"{kv.Key}={(kv.Value.Length > 80 ? kv.Value[..77] + "..." : kv.Value)}").ToList();
        if (changes.Count > 0) lines.Add("  environment: " + string.Join(", ", changes));
        if (assessment.Reasons.Count > 0) lines.Add("  why: " + string.Join(" ", assessment.Reasons));
        if (plan.Enforced.Count > 0) lines.Add("  enforced: " + string.Join("; ", plan.Enforced));
        if (plan.NotEnforced.Count > 0) lines.Add("  not enforced: " + string.Join("; ", plan.NotEnforced));
        if (plan.Profile is not null) lines.Add("  profile:" + System.Environment.NewLine + string.Join(System.Environment.NewLine, plan.Profile.ReplaceLineEndings("\n").Split('\n').Select(l => "    " + l)));
        return string.Join(System.Environment.NewLine, lines);
    }

    /// <summary>An argument as a POSIX shell would need it written: plain words as they are, anything else in single quotes.</summary>
    public static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
