using System.Collections;

namespace CodexSandbox.Engine.Export.Otlp;

/// <summary>
/// One audit record as the attributes of an OpenTelemetry log record, handed to <c>ILogger.Log</c> as its state (the
/// SDK exports a state that is a list of key/value pairs as attributes). Names follow the semantic conventions where
/// one fits (<c>process.*</c>, <c>user.*</c>, <c>event.name</c>), Codex's own attribute names on Codex's events
/// (<c>tool_name</c>, <c>call_id</c>, <c>decision</c>, <c>source</c>, <c>outcome</c>), and <c>codex_sandbox.*</c>
/// for the rest. The audit position (<c>codex_sandbox.audit.seq</c>, <c>.hash</c>) lets a receiver drop duplicates.
/// Output and the command's environment are never exported.
/// </summary>
internal sealed class AuditLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string SeqAttribute = "codex_sandbox.audit.seq";
    private const string P = ExportedEvent.Prefix;

    private readonly List<KeyValuePair<string, object?>> _items = new(32);

    public AuditLogState(AuditRecord r)
    {
        Record = r;
        EventName = ExportedEvent.Name(r);
        Add("event.name", EventName);
        Add(P + "event_type", Audit.AuditFields.EventName(r.EventType));
        Add(SeqAttribute, r.Seq);
        Add(P + "audit.hash", r.Hash);
        Add(P + "audit.prev_hash", r.PreviousHash);
        Add(P + "audit.id", r.Id);
        if (EventName is ExportedEvent.ToolDecision or ExportedEvent.SandboxOutcome)
        {
            // Codex's attributes on its own events, so a dashboard built for Codex counts our decisions too.
            Add("tool_name", "shell");
            Add("call_id", r.RelatedId ?? r.Id);
            Add("decision", ExportedEvent.Decision(r));
            Add("source", ExportedEvent.DecisionSource(r));
            Add("outcome", ExportedEvent.Outcome(r));
            if (EventName == ExportedEvent.SandboxOutcome && r.Duration is { } d) Add("initial_duration_ms", (long)d.TotalMilliseconds);
        }
        Add(P + "decision", r.Decision);
        Add(P + "decision_source", r.DecisionSource);
        Add("process.command_line", r.Command);
        if (r.Argv.Count > 0)
        {
            Add("process.command_args", r.Argv.ToArray());
            Add("process.executable.name", Path.GetFileName(r.Argv[0]));
        }
        Add("process.working_directory", r.WorkingDirectory);
        if (r.ExitCode is { } exit) Add("process.exit.code", (long)exit);
        // The record's pid is the PowerShell process that ran the command: the command's parent.
        if (r.ProcessId > 0) Add("process.parent_pid", (long)r.ProcessId);
        Add("user.name", r.User);
        Add(P + "sandbox_mode", r.SandboxMode?.ToString());
        Add(P + "network_access", r.NetworkAccess?.ToString());
        Add(P + "backend", r.Backend);
        if (r.Enforcement.Count > 0) Add(P + "enforcement", r.Enforcement.ToArray());
        if (r.WritableRoots.Count > 0) Add(P + "writable_roots", r.WritableRoots.ToArray());
        if (r.Duration is { } duration) Add(P + "duration_ms", duration.TotalMilliseconds);
        if (r.TimedOut is { } timedOut) Add(P + "timed_out", timedOut);
        Add(P + "reason", r.Reason);
        Add(P + "rule", r.Rule);
        Add(P + "related_id", r.RelatedId);
        Add(P + "host", r.Host);
        Add(P + "module_version", r.ModuleVersion);
        if (r.Details is { } details)
            foreach (var (key, value) in details) Add(P + "detail." + key, value);
        // The SDK takes the log body from "{OriginalFormat}" and does not export it as an attribute.
        Add("{OriginalFormat}", ExportedEvent.Summary(r));
    }

    public AuditRecord Record { get; }
    public string EventName { get; }

    private void Add(string key, object? value)
    {
        if (value is not null) _items.Add(new(key, value));
    }

    public KeyValuePair<string, object?> this[int index] => _items[index];
    public int Count => _items.Count;
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => ExportedEvent.Summary(Record);
}
