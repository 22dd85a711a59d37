namespace CodexSandbox.Engine.Export;

/// <summary>
/// Sends chosen records to one sink on demand (<c>Export-SandboxAudit</c>: backfill, CI), outside any cursor: the
/// caller picks the range, and sending a record twice is harmless (receivers drop duplicates by seq and hash).
/// </summary>
public sealed class AuditSender(AuditSinkSettings sink, TimeSpan timeout) : IDisposable
{
    private IAuditSink? _connection;

    /// <summary>Sends <paramref name="records"/> in seq order, in batches; returns how many arrived (from the first) and, if not all, why.</summary>
    public (int Delivered, string? Error) Send(IReadOnlyList<AuditRecord> records)
    {
        var ordered = records.OrderBy(r => r.Seq).ToList();
        var delivered = 0;
        while (delivered < ordered.Count)
        {
            _connection ??= SinkFactory.Connect(sink, timeout);
            var batch = ordered.Skip(delivered).Take(SinkRunner.BatchSize).ToList();
            var result = _connection.Send(batch, timeout);
            delivered += result.Delivered;
            if (result.Error is not null)
            {
                _connection.Dispose();
                _connection = null;
                return (delivered, result.Error);
            }
        }
        return (delivered, null);
    }

    public void Dispose() => _connection?.Dispose();
}
