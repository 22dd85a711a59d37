using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// Writes one record as one line of JSON. Field order is fixed and the hash field is always last:
/// <c>hash</c> = SHA-256 of the line's bytes before <c>,"hash":"</c>, which include <c>prev</c>, the previous
/// record's hash. Null fields and empty lists are left out.
/// </summary>
internal sealed class AuditRecordWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // The log is not HTML; keep paths and non-ASCII readable. Control characters (newlines) are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    public AuditRecordWriter() => _json = new Utf8JsonWriter(_buffer, Options);

    /// <summary>Formats <paramref name="draft"/> with the given chain position; returns the line (with its newline) and the record's hash.</summary>
    public ReadOnlyMemory<byte> Format(AuditRecord draft, long seq, DateTimeOffset time, string previousHash, out string hash)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        var w = _json;
        w.WriteStartObject();
        w.WriteString(AuditFields.Id, draft.Id);
        w.WriteNumber(AuditFields.Seq, seq);
        w.WriteString(AuditFields.Time, time.UtcDateTime);
        w.WriteString(AuditFields.EventType, AuditFields.EventName(draft.EventType));
        Optional(w, AuditFields.Decision, draft.Decision);
        Optional(w, AuditFields.DecisionSource, draft.DecisionSource);
        Optional(w, AuditFields.Command, draft.Command);
        List(w, AuditFields.Argv, draft.Argv);
        Optional(w, AuditFields.WorkingDirectory, draft.WorkingDirectory);
        if (draft.SandboxMode is { } mode) w.WriteString(AuditFields.SandboxMode, AuditFields.ModeName(mode));
        if (draft.NetworkAccess is { } network) w.WriteString(AuditFields.NetworkAccess, AuditFields.NetworkName(network));
        List(w, AuditFields.WritableRoots, draft.WritableRoots);
        Optional(w, AuditFields.Backend, draft.Backend);
        List(w, AuditFields.Enforcement, draft.Enforcement);
        if (draft.ExitCode is { } exit) w.WriteNumber(AuditFields.ExitCode, exit);
        if (draft.Duration is { } duration) w.WriteNumber(AuditFields.DurationMs, duration.Ticks / (double)TimeSpan.TicksPerMillisecond);
        if (draft.TimedOut is { } timedOut) w.WriteBoolean(AuditFields.TimedOut, timedOut);
        if (draft.StdoutBytes is { } outBytes) w.WriteNumber(AuditFields.StdoutBytes, outBytes);
        if (draft.StderrBytes is { } errBytes) w.WriteNumber(AuditFields.StderrBytes, errBytes);
        Optional(w, AuditFields.Stdout, draft.Stdout);
        Optional(w, AuditFields.Stderr, draft.Stderr);
        Optional(w, AuditFields.Reason, draft.Reason);
        Optional(w, AuditFields.Rule, draft.Rule);
        Optional(w, AuditFields.RelatedId, draft.RelatedId);
        Optional(w, AuditFields.User, draft.User);
        Optional(w, AuditFields.Host, draft.Host);
        w.WriteNumber(AuditFields.Pid, draft.ProcessId);
        Optional(w, AuditFields.ModuleVersion, draft.ModuleVersion);
        Map(w, AuditFields.Environment, draft.Environment);
        Map(w, AuditFields.Details, draft.Details);
        w.WriteString(AuditFields.Prev, previousHash);
        w.Flush();
        hash = AuditHash.Compute(_buffer.WrittenSpan);
        var tail = _buffer.GetSpan(AuditHash.SuffixLength + 1);
        AuditHash.FieldPrefix.CopyTo(tail);
        for (var i = 0; i < 64; i++) tail[9 + i] = (byte)hash[i];
        tail[73] = (byte)'"';
        tail[74] = (byte)'}';
        tail[75] = (byte)'\n';
        _buffer.Advance(AuditHash.SuffixLength + 1);
        return _buffer.WrittenMemory;
    }

    private static void Optional(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void List(Utf8JsonWriter w, JsonEncodedText name, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return;
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static void Map(Utf8JsonWriter w, JsonEncodedText name, IReadOnlyDictionary<string, string>? values)
    {
        if (values is null || values.Count == 0) return;
        w.WriteStartObject(name);
        foreach (var (key, value) in values) w.WriteString(key, value);
        w.WriteEndObject();
    }
}
