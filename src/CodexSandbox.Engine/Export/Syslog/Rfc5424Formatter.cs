using System.Globalization;
using System.Text;

namespace CodexSandbox.Engine.Export.Syslog;

/// <summary>
/// One audit record as an RFC 5424 message: <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG</c>.
/// The record's fields travel as structured data under the SD-ID <c>codexSandbox@32473</c> (32473 is the private
/// enterprise number RFC 5612 sets aside for documentation and examples; we have none of our own). MSGID is the
/// event type; MSG is a one-line summary. Output and the command's environment are never sent.
/// </summary>
internal static class Rfc5424Formatter
{
    public const string StructuredDataId = "codexSandbox@32473";

    public static byte[] Format(AuditRecord r, SyslogSinkSettings sink)
    {
        var severity = ExportedEvent.Severity(r) switch { ExportSeverity.Warning => 4, ExportSeverity.Notice => 5, _ => 6 };
        var text = new StringBuilder(512);
        text.Append('<').Append((sink.Facility * 8 + severity).ToString(CultureInfo.InvariantCulture)).Append(">1 ");
        text.Append(r.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append(' ');
        text.Append(Header(r.Host, 255)).Append(' ');
        text.Append(Header(sink.AppName, 48)).Append(' ');
        text.Append(r.ProcessId > 0 ? r.ProcessId.ToString(CultureInfo.InvariantCulture) : "-").Append(' ');
        text.Append(Header(Audit.AuditFields.EventName(r.EventType), 32)).Append(' ');
        text.Append('[').Append(StructuredDataId);
        foreach (var (name, value) in Fields(r)) Param(text, name, value);
        text.Append("] ");
        text.Append(ExportedEvent.Summary(r));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The structured-data parameters, in a fixed order. These names are what receivers filter on; see docs/fleet.md.</summary>
    public static IEnumerable<(string Name, string? Value)> Fields(AuditRecord r)
    {
        string? Number(long? n) => n?.ToString(CultureInfo.InvariantCulture);
        yield return ("seq", Number(r.Seq));
        yield return ("id", r.Id);
        yield return ("hash", r.Hash);
        yield return ("prev", r.PreviousHash);
        yield return ("event", ExportedEvent.Name(r));
        yield return ("outcome", ExportedEvent.Outcome(r));
        yield return ("decision", r.Decision);
        yield return ("decisionSource", r.DecisionSource);
        yield return ("command", r.Command);
        yield return ("cwd", r.WorkingDirectory);
        yield return ("sandboxMode", r.SandboxMode?.ToString());
        yield return ("network", r.NetworkAccess?.ToString());
        yield return ("backend", r.Backend);
        yield return ("enforcement", r.Enforcement.Count > 0 ? string.Join(", ", r.Enforcement) : null);
        yield return ("writableRoots", r.WritableRoots.Count > 0 ? string.Join(", ", r.WritableRoots) : null);
        yield return ("exitCode", Number(r.ExitCode));
        yield return ("durationMs", r.Duration?.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture));
        yield return ("timedOut", r.TimedOut is { } t ? (t ? "true" : "false") : null);
        yield return ("reason", r.Reason);
        yield return ("rule", r.Rule);
        yield return ("relatedId", r.RelatedId);
        yield return ("user", r.User);
        yield return ("version", r.ModuleVersion);
        if (r.Details is { } details)
            foreach (var (key, value) in details) yield return ("detail." + key, value);
    }

    private static void Param(StringBuilder text, string name, string? value)
    {
        // PARAM-NAME: 1 to 32 printable ASCII characters other than '=', space, ']' and '"'.
        if (value is null || name.Length > 32 || name.Any(c => c is <= ' ' or > '~' or '=' or ']' or '"')) return;
        text.Append(' ').Append(name).Append("=\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\' or ']') text.Append('\\');
            text.Append(c);
        }
        text.Append('"');
    }

    // HOSTNAME, APP-NAME, MSGID: printable ASCII without spaces, bounded; "-" when there is nothing usable.
    private static string Header(string? value, int max)
    {
        if (string.IsNullOrEmpty(value)) return "-";
        var clean = new string(value.Where(c => c is > ' ' and <= '~').Take(max).ToArray());
        return clean.Length > 0 ? clean : "-";
    }
}
