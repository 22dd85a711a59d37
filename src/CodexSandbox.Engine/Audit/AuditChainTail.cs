namespace CodexSandbox.Engine.Audit;

/// <summary>Finds where the chain ends when the head in the lock file is missing or disagrees with the active file.</summary>
internal static class AuditChainTail
{
    /// <summary>
    /// Truncates a torn last line of the active file, then returns the head: the last complete, self-consistent
    /// record of the newest file that has one. A recorded head with a higher seq wins (records were removed from
    /// the end; chaining from the head keeps that gap visible to Verify instead of papering over it).
    /// </summary>
    public static AuditHead Recover(AuditFiles files, FileStream active, AuditHead? recorded)
    {
        var length = active.Length;
        if (length > 0)
        {
            Span<byte> last = stackalloc byte[1];
            RandomAccess.Read(active.SafeFileHandle, last, length - 1);
            if (last[0] != (byte)'\n')
            {
                var keep = 0L;
                foreach (var line in AuditLines.Backward(active.SafeFileHandle, length))
                {
                    keep = line.Offset; // the fragment starts here; everything before it is whole lines
                    break;
                }
                active.SetLength(keep);
                length = keep;
            }
        }

        var rotated = files.Rotated();
        var anchor = AuditAnchor.Read(files.AnchorPath);
        var generation = Math.Max(recorded?.Generation ?? 0, Math.Max(rotated.Count > 0 ? rotated[^1].Generation : 0, anchor?.Generation ?? 0));

        (long Seq, string Hash)? found = LastRecord(active, length);
        for (var i = rotated.Count - 1; found is null && i >= 0; i--)
        {
            try
            {
                using var stream = new FileStream(rotated[i].Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                found = LastRecord(stream, stream.Length);
            }
            catch (FileNotFoundException) { }
        }
        found ??= anchor is not null ? (anchor.Seq, anchor.Hash) : null;
        if (recorded is not null && (found is null || recorded.Seq > found.Value.Seq)) found = (recorded.Seq, recorded.Hash);
        var (seq, hash) = found ?? (0, AuditHash.Zero);
        return new AuditHead(seq, hash, length, generation, AuditLines.CountNewlines(active.SafeFileHandle, length));
    }

    private static (long, string)? LastRecord(FileStream stream, long length)
    {
        foreach (var line in AuditLines.Backward(stream.SafeFileHandle, length))
        {
            if (!line.Terminated || line.Bytes.Length == 0) continue;
            var span = line.Bytes.Span;
            if (!AuditHash.SelfConsistent(span, out var hash)) continue;
            var record = AuditRecordParser.Parse(span, null, 0, out _);
            if (record is not null) return (record.Seq, hash);
        }
        return null;
    }
}
