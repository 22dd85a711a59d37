namespace CodexSandbox.Engine.Audit;

/// <summary>
/// Deletes rotated files whose last write is older than the retention period. Only the oldest files go, in chain
/// order, and never the active file; before deleting, the last deleted record is saved as the anchor
/// (<c>&lt;stem&gt;.anchor.json</c>) so Verify can tell retention from tampering. Appends run this after each rotation.
/// </summary>
public static class AuditRetention
{
    /// <summary>Applies retention to the log at <paramref name="path"/> under the writers' lock; returns the deleted files.</summary>
    public static IReadOnlyList<string> Apply(string path, int retentionDays, DateTimeOffset? now = null, TimeSpan? lockTimeout = null)
    {
        var files = new AuditFiles(path);
        if (!Directory.Exists(files.Folder)) return Array.Empty<string>();
        try
        {
            using var fileLock = AuditFileLock.Acquire(files.LockPath, lockTimeout ?? TimeSpan.FromSeconds(30));
            return ApplyLocked(files, retentionDays, now ?? DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not AuditLogException)
        {
            throw new AuditLogException($"Cannot apply retention to the audit log '{files.ActivePath}': {e.Message}", files.ActivePath, e);
        }
    }

    /// <summary>Applies <see cref="AuditSettings.RetentionDays"/> to <see cref="AuditSettings.Path"/>.</summary>
    public static IReadOnlyList<string> Apply(AuditSettings settings, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Apply(settings.Path, settings.RetentionDays, now);
    }

    internal static IReadOnlyList<string> ApplyLocked(AuditFiles files, int retentionDays, DateTimeOffset now)
    {
        if (retentionDays <= 0) return Array.Empty<string>();
        var cutoff = now.UtcDateTime - TimeSpan.FromDays(retentionDays);
        var expired = new List<(long Generation, string Path)>();
        foreach (var file in files.Rotated())
        {
            if (File.GetLastWriteTimeUtc(file.Path) >= cutoff) break; // keep the chain contiguous: stop at the first file to keep
            expired.Add(file);
        }
        if (expired.Count == 0) return Array.Empty<string>();

        // The anchor must name the last record of the newest file we delete; without it, delete nothing.
        (long Seq, string Hash)? last = null;
        while (expired.Count > 0)
        {
            last = LastRecordOf(expired[^1].Path);
            if (last is not null) break;
            expired.RemoveAt(expired.Count - 1);
        }
        if (last is null) return Array.Empty<string>();

        var previous = AuditAnchor.Read(files.AnchorPath);
        var generation = Math.Max(expired[^1].Generation, previous?.Generation ?? 0);
        new AuditAnchor(last.Value.Seq, last.Value.Hash, generation, Path.GetFileName(expired[^1].Path), now).Write(files.AnchorPath);
        var deleted = new List<string>(expired.Count);
        foreach (var (_, file) in expired)
        {
            File.Delete(file);
            deleted.Add(file);
        }
        return deleted;
    }

    private static (long, string)? LastRecordOf(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        foreach (var line in AuditLines.Backward(stream.SafeFileHandle, stream.Length))
        {
            if (line.Bytes.Length == 0 || !AuditHash.SelfConsistent(line.Bytes.Span, out var hash)) continue;
            if (AuditRecordParser.Parse(line.Bytes.Span, null, 0, out _) is { } record) return (record.Seq, hash);
        }
        return null;
    }
}
