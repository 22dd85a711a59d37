using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Export;

namespace CodexSandbox.Engine.Tests.Export;

/// <summary>
/// A receiver that takes everything it is sent and remembers the seqs in arrival order (duplicates included), so a
/// test can hold a runner to the at-least-once promise: duplicates may arrive, a gap never.
/// </summary>
internal sealed class RecordingSink : IAuditSink
{
    private readonly List<long> _received = [];

    private volatile bool _refuse;

    /// <summary>While true, every send fails and nothing is taken (a receiver that is down).</summary>
    public bool Refuse
    {
        get => _refuse;
        set => _refuse = value;
    }

    public List<long> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    public SendResult Send(IReadOnlyList<AuditRecord> records, TimeSpan timeout)
    {
        if (_refuse) return SendResult.Failed("the test receiver refuses");
        lock (_received) _received.AddRange(records.Select(r => r.Seq));
        return SendResult.All(records.Count);
    }

    public void Dispose() { }

    /// <summary>
    /// The first place where <paramref name="received"/> breaks at-least-once delivery of seqs 1..<paramref name="last"/>:
    /// a seq beyond the highest seen so far plus one (a gap), or a seq that never arrived. Null when there is none.
    /// </summary>
    public static string? FirstGap(IReadOnlyList<long> received, long last)
    {
        long highest = 0;
        for (var i = 0; i < received.Count; i++)
        {
            if (received[i] > highest + 1) return $"seq {received[i]} arrived (at position {i}) before seq {highest + 1}";
            highest = Math.Max(highest, received[i]);
        }
        return highest < last ? $"only seqs up to {highest} of {last} arrived" : null;
    }
}
