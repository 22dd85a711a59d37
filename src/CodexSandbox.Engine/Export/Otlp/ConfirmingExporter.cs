using OpenTelemetry;
using OpenTelemetry.Logs;

namespace CodexSandbox.Engine.Export.Otlp;

/// <summary>
/// Our exporter around the official OTLP exporter. The SDK's batch processor only ever tells the exporter, never the
/// caller, whether a batch arrived; this wrapper sees each result and remembers which audit records (by seq) the
/// collector accepted, so the cursor moves only past those. It also stamps each log record with the audit record's
/// time: the SDK stamps the moment of logging, which for a record sent after an outage is not when it happened.
/// </summary>
internal sealed class ConfirmingExporter(BaseExporter<LogRecord> official) : BaseExporter<LogRecord>
{
    private readonly object _gate = new();
    private readonly HashSet<long> _accepted = [];
    private Dictionary<long, AuditRecord> _inFlight = [];

    /// <summary>The records about to be logged; clears what an earlier attempt confirmed.</summary>
    public void Begin(IReadOnlyList<AuditRecord> records)
    {
        lock (_gate)
        {
            _accepted.Clear();
            _inFlight = records.ToDictionary(r => r.Seq);
        }
    }

    /// <summary>How many of <paramref name="records"/>, from the first, the collector accepted.</summary>
    public int AcceptedPrefix(IReadOnlyList<AuditRecord> records)
    {
        lock (_gate) return records.TakeWhile(r => _accepted.Contains(r.Seq)).Count();
    }

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var seqs = new List<long>();
        Dictionary<long, AuditRecord> inFlight;
        lock (_gate) inFlight = _inFlight;
        foreach (var logRecord in batch)
        {
            if (SeqOf(logRecord) is not { } seq) continue;
            seqs.Add(seq);
            if (inFlight.TryGetValue(seq, out var record)) logRecord.Timestamp = record.Time.UtcDateTime;
        }
        var result = official.Export(batch);
        if (result == ExportResult.Success)
            lock (_gate) _accepted.UnionWith(seqs);
        return result;
    }

    private static long? SeqOf(LogRecord logRecord)
    {
        if (logRecord.Attributes is not { } attributes) return null;
        foreach (var (key, value) in attributes)
            if (key == AuditLogState.SeqAttribute && value is long seq) return seq;
        return null;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) => official.ForceFlush(timeoutMilliseconds);
}
