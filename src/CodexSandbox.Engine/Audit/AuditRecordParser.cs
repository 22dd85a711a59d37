using System.Text.Json;

namespace CodexSandbox.Engine.Audit;

/// <summary>Reads record lines back. Field order does not matter here; unknown fields are ignored.</summary>
internal static class AuditRecordParser
{
    /// <summary>The record on <paramref name="line"/>, or null with <paramref name="error"/> saying why it is not one.</summary>
    public static AuditRecord? Parse(ReadOnlySpan<byte> line, string? file, int lineNumber, out string? error)
    {
        error = null;
        string? id = null, decision = null, decisionSource = null, command = null, cwd = null, backend = null;
        string? stdout = null, stderr = null, reason = null, rule = null, relatedId = null, user = null, host = null;
        string? moduleVersion = null, prev = null, hash = null;
        long seq = -1;
        DateTimeOffset? time = null;
        AuditEventType? eventType = null;
        SandboxMode? mode = null;
        NetworkMode? network = null;
        IReadOnlyList<string> argv = Array.Empty<string>(), roots = Array.Empty<string>(), enforcement = Array.Empty<string>();
        int? exitCode = null;
        TimeSpan? duration = null;
        bool? timedOut = null;
        long? outBytes = null, errBytes = null;
        var pid = 0;
        IReadOnlyDictionary<string, string>? environment = null, details = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) { error = "not a JSON object"; return null; }
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject) break;
                if (reader.TokenType != JsonTokenType.PropertyName) { error = "malformed JSON"; return null; }
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                switch (name)
                {
                    case "id": id = reader.GetString(); break;
                    case "seq": seq = reader.GetInt64(); break;
                    case "time": time = reader.GetDateTimeOffset().ToUniversalTime(); break;
                    case "eventType": eventType = ParseEnum<AuditEventType>(reader.GetString()); break;
                    case "decision": decision = reader.GetString(); break;
                    case "decisionSource": decisionSource = reader.GetString(); break;
                    case "command": command = reader.GetString(); break;
                    case "argv": argv = ReadList(ref reader); break;
                    case "workingDirectory": cwd = reader.GetString(); break;
                    case "sandboxMode": mode = ParseEnum<SandboxMode>(reader.GetString()); break;
                    case "networkAccess": network = ParseEnum<NetworkMode>(reader.GetString()); break;
                    case "writableRoots": roots = ReadList(ref reader); break;
                    case "backend": backend = reader.GetString(); break;
                    case "enforcement": enforcement = ReadList(ref reader); break;
                    case "exitCode": exitCode = reader.GetInt32(); break;
                    case "durationMs": duration = TimeSpan.FromTicks((long)Math.Round(reader.GetDouble() * TimeSpan.TicksPerMillisecond)); break;
                    case "timedOut": timedOut = reader.GetBoolean(); break;
                    case "stdoutBytes": outBytes = reader.GetInt64(); break;
                    case "stderrBytes": errBytes = reader.GetInt64(); break;
                    case "stdout": stdout = reader.GetString(); break;
                    case "stderr": stderr = reader.GetString(); break;
                    case "reason": reason = reader.GetString(); break;
                    case "rule": rule = reader.GetString(); break;
                    case "relatedId": relatedId = reader.GetString(); break;
                    case "user": user = reader.GetString(); break;
                    case "host": host = reader.GetString(); break;
                    case "pid": pid = reader.GetInt32(); break;
                    case "moduleVersion": moduleVersion = reader.GetString(); break;
                    case "environment": environment = ReadMap(ref reader); break;
                    case "details": details = ReadMap(ref reader); break;
                    case "prev": prev = reader.GetString(); break;
                    case "hash": hash = reader.GetString(); break;
                    default: reader.Skip(); break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed != line.Length && !TrailingWhitespace(line[(int)reader.BytesConsumed..]))
            {
                error = "truncated or trailing data after the JSON object";
                return null;
            }
        }
        catch (JsonException e) { error = "not valid JSON (" + FirstSentence(e.Message) + ")"; return null; }
        catch (InvalidOperationException e) { error = "a field has the wrong type (" + FirstSentence(e.Message) + ")"; return null; }
        catch (FormatException e) { error = "a field has the wrong format (" + FirstSentence(e.Message) + ")"; return null; }
        catch (FieldValueException e) { error = e.Message; return null; }

        if (id is null || seq < 0 || time is null || eventType is null || prev is null || hash is null)
        {
            error = "a required field (id, seq, time, eventType, prev, hash) is missing";
            return null;
        }
        return new AuditRecord
        {
            Id = id, Seq = seq, Time = time.Value, EventType = eventType.Value, Decision = decision, DecisionSource = decisionSource,
            Command = command, Argv = argv, WorkingDirectory = cwd, SandboxMode = mode, NetworkAccess = network,
            WritableRoots = roots, Backend = backend, Enforcement = enforcement, ExitCode = exitCode, Duration = duration,
            TimedOut = timedOut, StdoutBytes = outBytes, StderrBytes = errBytes, Stdout = stdout, Stderr = stderr,
            Reason = reason, Rule = rule, RelatedId = relatedId, User = user, Host = host, ProcessId = pid,
            ModuleVersion = moduleVersion, Environment = environment, Details = details, PreviousHash = prev, Hash = hash,
            File = file, Line = lineNumber,
        };
    }

    /// <summary>
    /// A cheap look at the fields a query filters on, without building a record. Tokenising stops once every field in
    /// <paramref name="needed"/> was seen (writers put them first), so a line that is not a whole object is caught by its
    /// first and last byte, and damage further in is left to <see cref="Parse"/> (for lines that match) and to Verify.
    /// False when the line is not a JSON object.
    /// </summary>
    public static bool Probe(ReadOnlySpan<byte> line, ProbeFields needed, out RecordProbe probe)
    {
        probe = default;
        var end = line.Length;
        while (end > 0 && line[end - 1] is (byte)' ' or (byte)'\r' or (byte)'\t') end--;
        if (end < 2 || line[0] != (byte)'{' || line[end - 1] != (byte)'}') return false;
        var seen = ProbeFields.None;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while ((seen & needed) != needed && reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject) break;
                if (reader.TokenType != JsonTokenType.PropertyName) return false;
                if (reader.ValueTextEquals("id"u8)) { reader.Read(); probe.Id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null; seen |= ProbeFields.Id; }
                else if (reader.ValueTextEquals("time"u8)) { reader.Read(); probe.HasTime = reader.TryGetDateTimeOffset(out probe.Time); seen |= ProbeFields.Time; }
                else if (reader.ValueTextEquals("eventType"u8)) { reader.Read(); probe.EventType = reader.TokenType == JsonTokenType.String ? reader.GetString() : null; seen |= ProbeFields.EventType; }
                else if (reader.ValueTextEquals("decision"u8)) { reader.Read(); probe.Decision = reader.TokenType == JsonTokenType.String ? reader.GetString() : null; seen |= ProbeFields.Decision; }
                else if (reader.ValueTextEquals("command"u8)) { reader.Read(); probe.Command = reader.TokenType == JsonTokenType.String ? reader.GetString() : null; seen |= ProbeFields.Command; }
                else { reader.Read(); reader.Skip(); }
            }
            return true;
        }
        catch (JsonException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>
    /// What Verify needs from a line: the whole line must be one valid JSON object with the required fields, but only
    /// id, seq, prev and hash are materialised. Null with <paramref name="error"/> when the line is not a record.
    /// </summary>
    public static ChainLink? ParseLink(ReadOnlySpan<byte> line, out string? error)
    {
        error = null;
        string? id = null, prev = null, hash = null;
        long seq = -1;
        bool hasTime = false, hasEvent = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) { error = "not a JSON object"; return null; }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) { error = "malformed JSON"; return null; }
                if (reader.ValueTextEquals("id"u8)) { reader.Read(); id = reader.GetString(); }
                else if (reader.ValueTextEquals("seq"u8)) { reader.Read(); seq = reader.GetInt64(); }
                else if (reader.ValueTextEquals("prev"u8)) { reader.Read(); prev = reader.GetString(); }
                else if (reader.ValueTextEquals("hash"u8)) { reader.Read(); hash = reader.GetString(); }
                else if (reader.ValueTextEquals("time"u8)) { reader.Read(); hasTime = reader.TryGetDateTimeOffset(out _); }
                else if (reader.ValueTextEquals("eventType"u8)) { reader.Read(); hasEvent = reader.TokenType == JsonTokenType.String && Enum.TryParse<AuditEventType>(reader.GetString(), false, out var t) && Enum.IsDefined(t); }
                else { reader.Read(); reader.Skip(); }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed != line.Length && !TrailingWhitespace(line[(int)reader.BytesConsumed..]))
            {
                error = "truncated or trailing data after the JSON object";
                return null;
            }
        }
        catch (JsonException e) { error = "not valid JSON (" + FirstSentence(e.Message) + ")"; return null; }
        catch (InvalidOperationException e) { error = "a field has the wrong type (" + FirstSentence(e.Message) + ")"; return null; }
        catch (FormatException e) { error = "a field has the wrong format (" + FirstSentence(e.Message) + ")"; return null; }
        if (id is null || seq < 0 || !hasTime || !hasEvent || prev is null || hash is null)
        {
            error = "a required field (id, seq, time, eventType, prev, hash) is missing or invalid";
            return null;
        }
        return new ChainLink(id, seq, prev, hash);
    }

    private static bool TrailingWhitespace(ReadOnlySpan<byte> rest)
    {
        foreach (var b in rest) if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t')) return false;
        return true;
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message.TrimEnd('.');
    }

    private static T ParseEnum<T>(string? value) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: false, out var result) && Enum.IsDefined(result)
            ? result
            : throw new FieldValueException($"unknown {typeof(T).Name} value '{value}'");

    private static IReadOnlyList<string> ReadList(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new FieldValueException("a list field is not an array");
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(reader.GetString() ?? "");
        return list;
    }

    private static IReadOnlyDictionary<string, string> ReadMap(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new FieldValueException("a map field is not an object");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = reader.GetString() ?? "";
        }
        return map;
    }

    private sealed class FieldValueException(string message) : Exception(message);
}
