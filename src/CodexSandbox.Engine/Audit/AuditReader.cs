using CodexSandbox.Engine.Environment;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// Reads the log across rotated files: queries and chain verification. Bad lines (garbage, truncated JSON) are
/// reported through the warning callback with file:line and skipped; nothing around them is lost.
/// </summary>
public static class AuditReader
{
    private static readonly TimeSpan SnapshotLockTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Records matching <paramref name="query"/>, oldest first. Without <see cref="AuditQuery.Last"/> the files are
    /// streamed forwards and records are yielded as they are found; with it, files are read backwards from the end
    /// and only the last N matches are parsed.
    /// </summary>
    /// <param name="path">The active log file (or its directory).</param>
    /// <param name="onWarning">Receives one diagnostic (Id <c>CorruptAuditRecord</c> or <c>TornAuditRecord</c>) per skipped line.</param>
    /// <param name="onProgress">Receives a percentage (0–100) as the scan advances; called only when it changes.</param>
    /// <exception cref="AuditLogException">The directory or a file cannot be read.</exception>
    public static IEnumerable<AuditRecord> Query(string path, AuditQuery query, Action<ConfigDiagnostic>? onWarning = null, Action<int>? onProgress = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var snapshot = Snapshot.Take(new AuditFiles(path));
        var filter = new Filter(query);
        return query.Last is { } last
            ? QueryLast(snapshot, filter, Math.Max(0, last), onWarning, onProgress)
            : QueryForward(snapshot, filter, onWarning, onProgress);
    }

    private static IEnumerable<AuditRecord> QueryForward(Snapshot snapshot, Filter filter, Action<ConfigDiagnostic>? onWarning, Action<int>? onProgress)
    {
        var total = Math.Max(1, snapshot.Files.Sum(f => f.Length));
        long done = 0;
        var percent = -1;
        foreach (var file in snapshot.Files)
        {
            using var stream = snapshot.Open(file);
            if (stream is null) continue;
            var lineNumber = 0;
            var fileStart = done;
            foreach (var line in AuditLines.Forward(stream.SafeFileHandle, file.Length, bytes =>
                     {
                         var now = (int)((fileStart + bytes) * 100 / total);
                         if (now != percent) { percent = now; onProgress?.Invoke(now); }
                     }))
            {
                lineNumber++;
                if (line.Bytes.Length == 0) continue;
                var span = line.Bytes.Span;
                if (filter.Needed != ProbeFields.None)
                {
                    if (!AuditRecordParser.Probe(span, filter.Needed, out var probe))
                    {
                        Warn(onWarning, file.Path, lineNumber, line.Terminated, "not valid JSON");
                        continue;
                    }
                    if (!filter.Matches(probe)) continue;
                }
                var record = AuditRecordParser.Parse(span, file.Path, lineNumber, out var error);
                if (record is null) { Warn(onWarning, file.Path, lineNumber, line.Terminated, error!); continue; }
                yield return record;
            }
            done += file.Length;
        }
        if (percent != 100) onProgress?.Invoke(100);
    }

    private static IEnumerable<AuditRecord> QueryLast(Snapshot snapshot, Filter filter, int count, Action<ConfigDiagnostic>? onWarning, Action<int>? onProgress)
    {
        if (count == 0) return Array.Empty<AuditRecord>();
        // (file index, offset, record or error) newest first; line numbers are filled in afterwards.
        var found = new List<(int File, long Offset, ReadOnlyMemory<byte> Bytes, bool Terminated, string? Error)>();
        var matches = 0;
        for (var f = snapshot.Files.Count - 1; f >= 0 && matches < count; f--)
        {
            var file = snapshot.Files[f];
            using var stream = snapshot.Open(file);
            if (stream is null) continue;
            foreach (var line in AuditLines.Backward(stream.SafeFileHandle, file.Length))
            {
                if (line.Bytes.Length == 0) continue;
                if (filter.Needed != ProbeFields.None)
                {
                    if (!AuditRecordParser.Probe(line.Bytes.Span, filter.Needed, out var probe))
                    {
                        found.Add((f, line.Offset, line.Bytes, line.Terminated, "not valid JSON"));
                        continue;
                    }
                    if (!filter.Matches(probe)) continue;
                }
                else if (AuditRecordParser.Parse(line.Bytes.Span, null, 0, out var invalid) is null)
                {
                    found.Add((f, line.Offset, line.Bytes, line.Terminated, invalid));
                    continue;
                }
                found.Add((f, line.Offset, line.Bytes, line.Terminated, null));
                matches++;
                onProgress?.Invoke(matches * 100 / count);
                if (matches == count) break;
            }
        }

        // Line numbers. In the active file, when the head in the lock file describes it exactly, count back from its
        // line count over the bytes already read; elsewhere count newlines before the earliest offset, then between offsets.
        var results = new List<AuditRecord>(matches);
        foreach (var group in found.GroupBy(x => x.File).OrderBy(g => g.Key))
        {
            var file = snapshot.Files[group.Key];
            using var stream = snapshot.Open(file);
            if (stream is null) continue;
            var numbered = new List<(int Line, ReadOnlyMemory<byte> Bytes, bool Terminated, string? Error)>();
            if (snapshot.Head is { } head && file.Path == snapshot.ActivePath && head.Length == file.Length)
            {
                long position = file.Length, after = 0;
                foreach (var item in group.OrderByDescending(x => x.Offset))
                {
                    after += CountBetween(stream, item.Offset, position);
                    position = item.Offset;
                    numbered.Add(((int)(head.Lines - after + 1), item.Bytes, item.Terminated, item.Error));
                }
                numbered.Reverse();
            }
            else
            {
                long position = 0;
                var lineNumber = 1;
                foreach (var item in group.OrderBy(x => x.Offset))
                {
                    lineNumber += CountBetween(stream, position, item.Offset);
                    position = item.Offset;
                    numbered.Add((lineNumber, item.Bytes, item.Terminated, item.Error));
                }
            }
            foreach (var (lineNumber, bytes, terminated, error0) in numbered)
            {
                var error = error0;
                var record = error is null ? AuditRecordParser.Parse(bytes.Span, file.Path, lineNumber, out error) : null;
                if (record is null) Warn(onWarning, file.Path, lineNumber, terminated, error!);
                else results.Add(record);
            }
        }
        onProgress?.Invoke(100);
        return results;
    }

    private static int CountBetween(FileStream stream, long from, long to)
    {
        if (to <= from) return 0;
        var buffer = new byte[(int)Math.Min(1 << 20, to - from)];
        var count = 0;
        while (from < to)
        {
            var read = RandomAccess.Read(stream.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - from)), from);
            if (read == 0) break;
            count += buffer.AsSpan(0, read).Count((byte)'\n');
            from += read;
        }
        return count;
    }

    /// <summary>
    /// Walks the hash chain over every file, oldest first, and reports the first record that was altered, removed,
    /// inserted or reordered, with its file and line; or confirms the chain intact.
    /// </summary>
    /// <exception cref="AuditLogException">The directory or a file cannot be read.</exception>
    public static AuditVerifyResult Verify(string path, Action<int>? onProgress = null)
    {
        var files = new AuditFiles(path);
        var snapshot = Snapshot.Take(files);
        var anchor = AuditAnchor.Read(files.AnchorPath);
        var warnings = new List<string>();
        var names = snapshot.Files.Select(f => f.Path).ToList();
        var total = Math.Max(1, snapshot.Files.Sum(f => f.Length));
        long done = 0, checkedCount = 0;
        var percent = -1;
        string? previousHash = null, beforePreviousHash = null;
        long previousSeq = 0;
        string? previousFile = null, previousId = null;
        var previousLine = 0;

        AuditVerifyResult Bad(string file, int line, string? id, string problem) => new()
        {
            Intact = false, RecordsChecked = checkedCount, Files = names, FirstBadFile = file, FirstBadLine = line, FirstBadId = id,
            Problem = problem, Warnings = warnings,
        };

        for (var f = 0; f < snapshot.Files.Count; f++)
        {
            var file = snapshot.Files[f];
            using var stream = snapshot.Open(file);
            if (stream is null) return Bad(file.Path, 0, null, "The file disappeared while it was being verified.");
            var lineNumber = 0;
            var fileStart = done;
            foreach (var line in AuditLines.Forward(stream.SafeFileHandle, file.Length, bytes =>
                     {
                         var now = (int)((fileStart + bytes) * 100 / total);
                         if (now != percent) { percent = now; onProgress?.Invoke(now); }
                     }))
            {
                lineNumber++;
                var span = line.Bytes.Span;
                var record = span.Length == 0 ? null : AuditRecordParser.ParseLink(span, out _);
                if (!line.Terminated && f == snapshot.Files.Count - 1 && file.Path == files.ActivePath && record is null)
                {
                    warnings.Add($"{file.Path}:{lineNumber}: torn last line (an interrupted write, {span.Length} bytes); the next append removes it.");
                    continue;
                }
                if (span.Length == 0) return Bad(file.Path, lineNumber, null, "An empty line was inserted; writers never write one.");
                if (record is null)
                {
                    AuditRecordParser.ParseLink(span, out var error);
                    return Bad(file.Path, lineNumber, null, $"The line is not an audit record ({error}): it was altered or inserted.");
                }
                if (!AuditHash.SelfConsistent(span, out var storedHash) || storedHash != record.Hash)
                    return Bad(file.Path, lineNumber, record.Id, $"Record seq {record.Seq} was altered: its content does not match its hash.");

                if (previousHash is null)
                {
                    var genesis = record.Seq == 1 && record.PreviousHash == AuditHash.Zero;
                    var anchored = anchor is not null && record.Seq == anchor.Seq + 1 && record.PreviousHash == anchor.Hash;
                    if (!genesis && !anchored)
                        return Bad(file.Path, lineNumber, record.Id, anchor is null
                            ? $"The log starts at seq {record.Seq}, not at the first record, and no retention anchor explains it: earlier records were removed."
                            : $"The log starts at seq {record.Seq}, but retention deleted through seq {anchor.Seq}: records in between were removed or the first record was altered.");
                }
                else if (record.PreviousHash != previousHash)
                {
                    if (record.PreviousHash == beforePreviousHash)
                        return Bad(previousFile!, previousLine, previousId, $"This record was inserted: the record after it chains directly to the record before it.");
                    if (record.Seq > previousSeq + 1)
                        return Bad(file.Path, lineNumber, record.Id, $"{record.Seq - previousSeq - 1} record(s) between seq {previousSeq} and seq {record.Seq} were removed.");
                    return Bad(file.Path, lineNumber, record.Id, $"Record seq {record.Seq} does not follow the record before it (seq {previousSeq}): records were reordered, removed or altered.");
                }
                else if (record.Seq != previousSeq + 1)
                    return Bad(file.Path, lineNumber, record.Id, $"Record seq {record.Seq} follows seq {previousSeq}: the sequence number was altered.");

                beforePreviousHash = previousHash;
                previousHash = record.Hash;
                previousSeq = record.Seq;
                previousFile = file.Path;
                previousLine = lineNumber;
                previousId = record.Id;
                checkedCount++;
            }
            done += file.Length;
        }

        // The head in the lock file remembers the last record written; fewer records on disk means some were cut off the end.
        if (snapshot.Head is { } head && head.Seq > previousSeq && (previousHash is not null || anchor is null || head.Seq > anchor.Seq))
        {
            var lastFile = snapshot.Files.Count > 0 ? snapshot.Files[^1].Path : files.ActivePath;
            return Bad(lastFile, previousFile == lastFile ? previousLine + 1 : 1, null,
                $"Records after seq {previousSeq} were removed from the end of the log: the last record written was seq {head.Seq}.");
        }
        onProgress?.Invoke(100);
        return new AuditVerifyResult { Intact = true, RecordsChecked = checkedCount, Files = names, Warnings = warnings };
    }

    private static void Warn(Action<ConfigDiagnostic>? onWarning, string file, int line, bool terminated, string error) =>
        onWarning?.Invoke(terminated
            ? new ConfigDiagnostic(DiagnosticSeverity.Warning, "CorruptAuditRecord", file, line, 0, null, $"Skipped line {line}: {error}.")
            : new ConfigDiagnostic(DiagnosticSeverity.Warning, "TornAuditRecord", file, line, 0, null, $"Skipped the torn last line {line} (an interrupted write): {error}."));

    private sealed class Filter(AuditQuery q)
    {
        private readonly HashSet<string>? _events = q.EventTypes is { Count: > 0 } e ? e.Select(AuditFields.EventName).ToHashSet(StringComparer.Ordinal) : null;
        private readonly WildcardMatcher[]? _decisions = Patterns(q.Decisions);
        private readonly WildcardMatcher[]? _commands = Patterns(q.Commands);
        private readonly WildcardMatcher[]? _ids = Patterns(q.Ids);

        public ProbeFields Needed { get; } =
            (q.Since is not null || q.Until is not null ? ProbeFields.Time : 0) |
            (q.EventTypes is { Count: > 0 } ? ProbeFields.EventType : 0) |
            (q.Decisions is { Count: > 0 } ? ProbeFields.Decision : 0) |
            (q.Commands is { Count: > 0 } ? ProbeFields.Command : 0) |
            (q.Ids is { Count: > 0 } ? ProbeFields.Id : 0);

        public bool Matches(in RecordProbe p)
        {
            if (q.Since is { } since && (!p.HasTime || p.Time < since)) return false;
            if (q.Until is { } until && (!p.HasTime || p.Time > until)) return false;
            if (_events is not null && (p.EventType is null || !_events.Contains(p.EventType))) return false;
            if (_decisions is not null && !WildcardMatcher.IsMatchAny(_decisions, p.Decision)) return false;
            if (_commands is not null && !WildcardMatcher.IsMatchAny(_commands, p.Command)) return false;
            if (_ids is not null && !WildcardMatcher.IsMatchAny(_ids, p.Id)) return false;
            return true;
        }

        // PowerShell wildcards, as the cmdlet's [SupportsWildcards] parameters promise; any pattern may match.
        private static WildcardMatcher[]? Patterns(IReadOnlyList<string>? patterns) =>
            patterns is { Count: > 0 } ? patterns.Select(p => new WildcardMatcher(p, WildcardSyntax.PowerShell)).ToArray() : null;
    }

    /// <summary>The files and their lengths at one instant (taken under the writers' lock when possible), so a scan never sees half a rotation.</summary>
    private sealed class Snapshot
    {
        public required List<(string Path, long Length)> Files { get; init; }
        public AuditHead? Head { get; init; }
        public required string ActivePath { get; init; }

        public static Snapshot Take(AuditFiles files)
        {
            try
            {
                if (File.Exists(files.Folder))
                    throw new AuditLogException($"The audit log directory '{files.Folder}' is a file, not a directory.", files.Folder);
                if (!Directory.Exists(files.Folder)) return new Snapshot { Files = [], ActivePath = files.ActivePath };
                using var fileLock = AuditFileLock.TryAcquireForReading(files.LockPath, SnapshotLockTimeout);
                var list = new List<(string, long)>();
                foreach (var file in files.ChainOrder())
                {
                    var info = new FileInfo(file);
                    if (info.Exists) list.Add((file, info.Length));
                }
                return new Snapshot { Files = list, Head = fileLock?.ReadHead(), ActivePath = files.ActivePath };
            }
            catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not AuditLogException)
            {
                throw new AuditLogException($"Cannot read the audit log directory '{files.Folder}': {e.Message}", files.Folder, e);
            }
        }

        public FileStream? Open((string Path, long Length) file)
        {
            try
            {
                return new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            }
            catch (FileNotFoundException) { return null; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AuditLogException($"Cannot read the audit log file '{file.Path}': {e.Message}", file.Path, e);
            }
        }
    }
}
