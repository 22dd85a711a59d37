using CodexSandbox.Engine.Execution;

namespace CodexSandbox.Internal;

/// <summary>The text -WhatIf and -Confirm show for a run: the decision, the launch as it will run, and what it enforces.</summary>
internal static class PlanDescription
{
    public static string Describe(string display, CommandAssessment assessment, SandboxLaunch launch)
    {
        // The Seatbelt profile is one long argument: the argv names it, and it follows on its own lines.
        var shown = launch.Arguments.Select(a => launch.Profile is not null && ReferenceEquals(a, launch.Profile) ? "<profile>" : DisplayQuote.Posix(a));
        var lines = new List<string>
        {
            $"Run '{display}' with backend {launch.Backend}: {assessment.Safety}, decision {assessment.Decision}{(assessment.Decision == ApprovalDecision.Prompt ? " (would ask)" : "")}.",
            $"  argv: {string.Join(' ', new[] { DisplayQuote.Posix(launch.Program) }.Concat(shown))}",
        };
        if (launch.Windows is { } windows)
        {
            lines.Add($"  command line: {windows.CommandLine}");
            lines.Add("  " + windows.Token);
            lines.AddRange(windows.Acl.Select(a => "  acl: " + a));
        }
        var changes = launch.EnvironmentChanges.Select(kv => kv.Value is null ? $"-{kv.Key}" : $"{kv.Key}={(kv.Value.Length > 80 ? kv.Value[..77] + "..." : kv.Value)}").ToList();
        if (changes.Count > 0) lines.Add("  environment: " + string.Join(", ", changes));
        if (assessment.Reasons.Count > 0) lines.Add("  why: " + string.Join(" ", assessment.Reasons));
        if (launch.Enforced.Count > 0) lines.Add("  enforced: " + string.Join("; ", launch.Enforced));
        if (launch.NotEnforced.Count > 0) lines.Add("  not enforced: " + string.Join("; ", launch.NotEnforced));
        if (launch.Profile is not null) lines.Add("  profile:" + Environment.NewLine + string.Join(Environment.NewLine, launch.Profile.ReplaceLineEndings("\n").Split('\n').Select(l => "    " + l)));
        return string.Join(Environment.NewLine, lines);
    }
}
