namespace CodexSandbox.Engine.Export;

/// <summary>A connection to one collector. Used by one thread at a time.</summary>
internal interface IAuditSink : IDisposable
{
    /// <summary>
    /// Sends <paramref name="records"/> (in seq order) and reports how many of them, counted from the first, the
    /// receiver is known to have. Never throws for a receiver's failure: that is a <see cref="SendResult"/> with an error.
    /// </summary>
    SendResult Send(IReadOnlyList<AuditRecord> records, TimeSpan timeout);
}
