using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Export;

/// <summary>
/// The records of a log after a given seq, read back for a sink that has not seen them in memory. Each read is one
/// snapshot of the log; the answer is never pieced together from two looks at a log that other runs keep appending to.
/// </summary>
internal static class AuditBacklog
{
    /// <summary>
    /// Up to <paramref name="max"/> records with seq above <paramref name="after"/>, oldest first, starting at
    /// <c>after + 1</c> unless the log lacks it; <paramref name="more"/> says that more follow.
    /// </summary>
    public static List<AuditRecord> After(string logPath, long after, int max, out bool more)
    {
        more = false;
        var last = AuditReader.Query(logPath, new AuditQuery { Last = 1 }).LastOrDefault();
        if (last is null || last.Seq <= after) return [];
        // Few records behind (the usual case): read them from the end. "The last N" is only an estimate of where
        // after + 1 is, since records appended after the look above push it further back; the window widens until it
        // reaches after + 1 or the start of the log. (Taking "the last N" as "all after after" skipped such records.)
        var want = last.Seq - after + 1;
        while (want <= max)
        {
            var tail = AuditReader.Query(logPath, new AuditQuery { Last = (int)want }).ToList();
            if (tail.Count < want || tail[0].Seq <= after + 1) return tail.Where(r => r.Seq > after).ToList();
            want = Math.Max(want * 2, tail[^1].Seq - after + 1);
        }
        // Many behind: stream from the start and skip.
        var found = AuditReader.Query(logPath, new AuditQuery()).Where(r => r.Seq > after).Take(max + 1).ToList();
        more = found.Count > max;
        if (more) found.RemoveAt(max);
        return found;
    }
}
