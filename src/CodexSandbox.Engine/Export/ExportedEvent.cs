using System.Globalization;
using System.Text;

namespace CodexSandbox.Engine.Export;

/// <summary>
/// What one audit record is called and how serious it is once it leaves the machine, the same for every sink. Codex's
/// event names are used where Codex has one (<c>codex.tool_decision</c>, <c>codex.sandbox_outcome</c>); every other
/// record is <c>codex_sandbox.&lt;event_type&gt;</c>. One record is always one exported event.
/// </summary>
public static class ExportedEvent
{
    /// <summary>The prefix of our own event names and attributes.</summary>
    public const string Prefix = "codex_sandbox.";
    public const string ToolDecision = "codex.tool_decision";
    public const string SandboxOutcome = "codex.sandbox_outcome";

    private static readonly string[] OwnNames = Enum.GetValues<AuditEventType>().Select(t => Prefix + SnakeCase(t.ToString())).ToArray();

    public static string Name(AuditRecord r) => r.EventType switch
    {
        AuditEventType.ApprovalGranted or AuditEventType.ApprovalDenied or AuditEventType.CommandBlocked => ToolDecision,
        AuditEventType.PolicyViolation => SandboxOutcome,
        AuditEventType.CommandExecuted when Outcome(r) is not null => SandboxOutcome,
        _ => (uint)r.EventType < OwnNames.Length ? OwnNames[(int)r.EventType] : Prefix + SnakeCase(r.EventType.ToString()),
    };

    /// <summary>
    /// Codex's <c>outcome</c> of <c>codex.sandbox_outcome</c>: <c>denied</c> (a run that looks blocked by the sandbox),
    /// <c>timed_out</c>, <c>signal</c> (killed: exit status 129–192, 128+N) or <c>escalated</c> (ran outside the sandbox
    /// after approval); null for a run that ended normally inside the sandbox.
    /// </summary>
    public static string? Outcome(AuditRecord r)
    {
        if (r.EventType == AuditEventType.PolicyViolation) return "denied";
        if (r.EventType != AuditEventType.CommandExecuted) return null;
        if (r.TimedOut == true) return "timed_out";
        if (Escalated(r)) return "escalated";
        if (r.ExitCode is > 128 and <= 192) return "signal";
        return null;
    }

    /// <summary>The run went outside the sandbox although the policy is not danger-full-access.</summary>
    public static bool Escalated(AuditRecord r) =>
        r.EventType == AuditEventType.CommandExecuted && r.SandboxMode != SandboxMode.DangerFullAccess
        && r.Backend is "linux-escalated" or "none";

    /// <summary>Codex's <c>decision</c> of <c>codex.tool_decision</c>: <c>approved</c> or <c>denied</c>.</summary>
    public static string? Decision(AuditRecord r) => r.EventType switch
    {
        AuditEventType.ApprovalGranted => r.DecisionSource == "Session" ? "approved_for_session" : "approved",
        AuditEventType.ApprovalDenied or AuditEventType.CommandBlocked => "denied",
        _ => null,
    };

    /// <summary>Codex's <c>source</c> of <c>codex.tool_decision</c>: <c>User</c> when a person (or -Force) decided, <c>Config</c> when policy or a rule did.</summary>
    public static string? DecisionSource(AuditRecord r) => Decision(r) is null ? null
        : r.DecisionSource is "User" or "Force" or "Session" ? "User" : "Config";

    public static ExportSeverity Severity(AuditRecord r) => r.EventType switch
    {
        AuditEventType.CommandBlocked or AuditEventType.ApprovalDenied or AuditEventType.PolicyViolation
            or AuditEventType.SandboxUnavailable or AuditEventType.ConfigError => ExportSeverity.Warning,
        AuditEventType.NetworkDecision when r.Decision == "Block" => ExportSeverity.Warning,
        AuditEventType.CommandExecuted when Outcome(r) is not null => ExportSeverity.Notice,
        AuditEventType.ApprovalRequested or AuditEventType.ApprovalGranted or AuditEventType.UndoPerformed => ExportSeverity.Notice,
        _ => ExportSeverity.Info,
    };

    /// <summary>One line for people: what happened, to which command, and the outcome.</summary>
    public static string Summary(AuditRecord r)
    {
        var text = new StringBuilder(Audit.AuditFields.EventName(r.EventType));
        if (r.Decision is { } decision) text.Append(' ').Append(decision);
        if (r.DecisionSource is { } source) text.Append(" by ").Append(source);
        if (r.Command is { } command) text.Append(": ").Append(command);
        if (r.ExitCode is { } exit) text.Append(" (exit ").Append(exit.ToString(CultureInfo.InvariantCulture)).Append(r.TimedOut == true ? ", timed out)" : ")");
        if (r.Reason is { } reason) text.Append(" - ").Append(reason);
        return text.ToString();
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
