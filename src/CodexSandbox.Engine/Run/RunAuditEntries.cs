using System.Globalization;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Execution;

namespace CodexSandbox.Engine.Run;

/// <summary>The audit records of one run: its decision, its checkpoint, its network decisions, and the run itself.</summary>
internal static class RunAuditEntries
{
    /// <summary>A decision about the command (blocked, asked, granted, denied, unavailable, a likely denial).</summary>
    public static AuditEntry Decision(AuditEventType type, SandboxPolicy policy, CommandToRun command, string? decision, string? source, string? reason,
        CommandAssessment a, string? relatedId = null) => new()
    {
        EventType = type, RelatedId = relatedId, Decision = decision, DecisionSource = source, Command = command.Display, Argv = command.Argv, Reason = reason,
        Rule = a.MatchedRules.Count > 0 ? string.Join("; ", a.MatchedRules.Select(m => $"{m.Pattern} ({m.Decision}) {m.Source}")) : null,
        WorkingDirectory = policy.WorkingDirectory, SandboxMode = policy.SandboxMode, NetworkAccess = policy.NetworkMode,
    };

    public static AuditEntry CheckpointCreated(SandboxPolicy policy, Checkpoint checkpoint, string runId) => new()
    {
        EventType = AuditEventType.CheckpointCreated, RelatedId = runId, WorkingDirectory = policy.WorkingDirectory, WritableRoots = checkpoint.Roots,
        Details = new Dictionary<string, string>
        {
            ["checkpoint"] = checkpoint.Id, ["kind"] = checkpoint.Kind.ToString(), ["bytes"] = checkpoint.SizeBytes.ToString(CultureInfo.InvariantCulture),
        },
    };

    public static AuditEntry Network(NetworkDecision d, string runId, string workingDirectory) => new()
    {
        EventType = AuditEventType.NetworkDecision, Decision = d.Allowed ? "Allow" : "Block", Command = $"{d.Protocol} {d.Host}:{d.Port}",
        Reason = d.Reason, Rule = d.Rule, RelatedId = runId, WorkingDirectory = workingDirectory,
    };

    /// <summary>The run: how it was decided and confined, and how it ended. Its id is the result's id.</summary>
    public static AuditEntry Executed(string runId, RunRequest request, SandboxResult result, DecisionSource source, string? reason, Checkpoint? checkpoint) => new()
    {
        Id = runId, EventType = AuditEventType.CommandExecuted, Decision = result.Decision.ToString(), DecisionSource = source.ToString(),
        Command = request.CommandLine, Argv = request.Argv, WorkingDirectory = result.WorkingDirectory, SandboxMode = result.SandboxMode,
        NetworkAccess = request.Unsandboxed ? NetworkMode.On : request.Policy.NetworkMode, WritableRoots = result.WritableRoots, Backend = result.Backend,
        Enforcement = result.Enforcement, ExitCode = result.ExitCode, Duration = result.Duration, TimedOut = result.TimedOut,
        StdoutBytes = result.StdoutBytes, StderrBytes = result.StderrBytes, Stdout = result.Stdout, Stderr = result.Stderr,
        Reason = reason, Details = Details(checkpoint, request.Interactive),
    };

    // An interactive run's output went to the terminal: the record says so, rather than looking like a silent command.
    private static Dictionary<string, string>? Details(Checkpoint? checkpoint, bool interactive)
    {
        if (checkpoint is not { Taken: true } && !interactive) return null;
        var details = new Dictionary<string, string>();
        if (checkpoint is { Taken: true }) details["checkpoint"] = checkpoint.Id;
        if (interactive) details["interactive"] = "the command had the terminal; its output was not captured";
        return details;
    }
}
