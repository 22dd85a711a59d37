using OpenTelemetry;
using OpenTelemetry.Logs;

namespace CodexSandbox.Engine.Export.Otlp;

/// <summary>
/// Our exporter around the official OTLP exporter. The SDK's batch processor only ever tells the exporter, never the
/// caller, whether a batch arrived; this wrapper sees each result and remembers which audit records (by seq) the
/// collector accepted, so the cursor moves only past those.
/// </summary>
/// <remarks>
/// A batch cannot be looked into before the official exporter sends it: enumerating it hands each record back to the
/// SDK's pool. So <see cref="TrackingProcessor"/>, which sees every record as it is logged, queues its seq here; the
/// batch processor exports in the same order, so a batch of N is the next N seqs of that queue.
/// </remarks>
internal sealed class ConfirmingExporter(BaseExporter<LogRecord> official) : BaseExporter<LogRecord>
{
    private readonly object _gate = new();
    private readonly Queue<long> _logged = new();
    private readonly HashSet<long> _accepted = [];
    private Dictionary<long, DateTime> _times = [];
    private int _exporting;

    /// <summary>The records about to be logged; clears what an earlier attempt confirmed.</summary>
    public void Begin(IReadOnlyList<AuditRecord> records)
    {
        lock (_gate)
        {
            _accepted.Clear();
            _times = records.ToDictionary(r => r.Seq, r => r.Time.UtcDateTime);
        }
    }

    /// <summary>
    /// Called for each record as it is logged, before the batch processor queues it: notes its seq, and stamps it with the
    /// audit record's time (the SDK stamps the moment of logging, which after an outage is not when it happened).
    /// </summary>
    public void Track(LogRecord logRecord)
    {
        if (SeqOf(logRecord) is not { } seq) return;
        lock (_gate)
        {
            _logged.Enqueue(seq);
            if (_times.TryGetValue(seq, out var time)) logRecord.Timestamp = time;
        }
    }

    /// <summary>
    /// Waits until every logged record has been through an export (accepted or not). The batch processor's flush returns
    /// once the records have left its queue, before the collector has answered.
    /// </summary>
    public bool WaitSettled(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_logged.Count > 0 || _exporting > 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left)) return false;
            }
        }
        return true;
    }

    /// <summary>How many of <paramref name="records"/>, from the first, the collector accepted.</summary>
    public int AcceptedPrefix(IReadOnlyList<AuditRecord> records)
    {
        lock (_gate) return records.TakeWhile(r => _accepted.Contains(r.Seq)).Count();
    }

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var count = (int)batch.Count;
        lock (_gate) _exporting++;
        var result = ExportResult.Failure;
        try
        {
            result = official.Export(batch);
        }
        finally
        {
            lock (_gate)
            {
                for (var i = 0; i < count && _logged.Count > 0; i++)
                {
                    var seq = _logged.Dequeue();
                    if (result == ExportResult.Success) _accepted.Add(seq);
                }
                _exporting--;
                Monitor.PulseAll(_gate);
            }
        }
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
