using System.Security.Cryptography;
using System.Text.Json;

namespace CodexSandbox.Engine.Rollback;

/// <summary>
/// Takes checkpoints of writable roots before a sandboxed run and undoes what the run changed. Git work trees
/// are recorded as commits in the store's own bare repository (<c>&lt;store&gt;/git/</c>), which holds every object a
/// checkpoint needs: the user's refs, index, stash, HEAD and branches stay untouched, and the user's gc cannot prune a
/// checkpoint. Plain folders are copied under a size cap. Metadata is kept as JSON in
/// <c>&lt;store&gt;/&lt;id&gt;/checkpoint.json</c> so a later session can undo by checkpoint id or audit id.
/// </summary>
public sealed class CheckpointStore
{
    private const string MetadataFile = "checkpoint.json";

    public CheckpointStore(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The store folder holding one sub-folder per checkpoint.</summary>
    public string Directory { get; }

    /// <summary>The usual store: <c>&lt;codex home&gt;/checkpoints</c>.</summary>
    public static string DefaultDirectory(string codexHome) => Path.Combine(codexHome, "checkpoints");

    /// <summary>
    /// Records every root. A root inside a git work tree becomes a commit; any other folder is copied when its files
    /// total at most <paramref name="maxSnapshotBytes"/>. Roots that cannot be recorded are listed with the reason;
    /// when none could be, the result has <see cref="Checkpoint.Taken"/> false and nothing is kept in the store.
    /// </summary>
    public Checkpoint Take(IReadOnlyList<string> roots, long maxSnapshotBytes, string? auditId = null)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var id = NewId();
        var dir = Path.Combine(Directory, id);
        System.IO.Directory.CreateDirectory(dir);
        // When the store lies inside a git work tree, `git add -A` must not pick up the checkpoints themselves.
        var ignore = Path.Combine(Directory, ".gitignore");
        if (!File.Exists(ignore)) File.WriteAllText(ignore, "*\n");

        var details = new List<CheckpointRoot>();
        var all = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).Distinct(StringComparer.Ordinal).ToList();
        // A root inside another root is covered by the outer one; recording it twice would make the second undo see conflicts.
        var normalized = all.Where(r => !all.Any(o => o != r && r.StartsWith(o + Path.DirectorySeparatorChar, StringComparison.Ordinal))).ToList();
        for (var i = 0; i < normalized.Count; i++)
        {
            var root = normalized[i];
            if (!System.IO.Directory.Exists(root))
            {
                details.Add(new CheckpointRoot { Path = root, Reason = $"{root} does not exist or is not a folder" });
                continue;
            }
            var where = GitSnapshot.Locate(root, out _);
            try
            {
                details.Add(where is { } w ? GitSnapshot.Take(root, w, dir, i, id) : CopySnapshot.Take(root, dir, i, maxSnapshotBytes));
            }
            catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
            {
                details.Add(new CheckpointRoot { Path = root, Reason = $"could not record {root}: {e.Message}" });
            }
        }

        var taken = details.Where(d => d.Taken).ToList();
        var kinds = taken.Select(d => d.Kind).Distinct().ToList();
        var reasons = details.Where(d => !d.Taken).Select(d => d.Reason).ToList();
        var checkpoint = new Checkpoint
        {
            Id = id,
            AuditId = auditId,
            Created = DateTimeOffset.UtcNow,
            Roots = normalized,
            Kind = kinds.Count switch { 0 => CheckpointKind.None, 1 => kinds[0], _ => CheckpointKind.Mixed },
            Taken = taken.Count > 0,
            SizeBytes = taken.Sum(d => d.SizeBytes),
            Reason = reasons.Count == 0 ? null : string.Join("; ", reasons),
            Details = details,
        };
        if (checkpoint.Taken) Save(checkpoint);
        else System.IO.Directory.Delete(dir, recursive: true);
        return checkpoint;
    }

    /// <summary>
    /// Records the state right after the run, so that a later undo can tell the run's changes from changes made
    /// afterwards by someone else. Returns the updated checkpoint (also saved).
    /// </summary>
    public Checkpoint MarkAfterRun(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!checkpoint.Taken) return checkpoint;
        var dir = CheckpointDirectory(checkpoint);
        var details = new List<CheckpointRoot>();
        for (var i = 0; i < checkpoint.Details.Count; i++)
        {
            // Details[i] describes root i; the files in the checkpoint folder are numbered the same way.
            var root = checkpoint.Details[i];
            if (!root.Taken) details.Add(root);
            else if (root.Kind == CheckpointKind.Git) details.Add(GitSnapshot.MarkAfterRun(root, dir, i));
            else
            {
                CopySnapshot.MarkAfterRun(root, dir, i);
                details.Add(root);
            }
        }
        var marked = With(checkpoint, details: details, afterRun: DateTimeOffset.UtcNow);
        Save(marked);
        return marked;
    }

    /// <summary>
    /// Restores the files the run created, changed or deleted. A file that changed again after the run is a conflict
    /// and is left alone unless <paramref name="force"/>; a file already back at its checkpointed state (an earlier
    /// undo) is left as it is, so undoing twice changes nothing the second time and says so
    /// (<see cref="UndoStatus.AlreadyUndone"/>). With <paramref name="dryRun"/>, nothing is changed and the result lists
    /// exactly what would be. A real undo that changed something is recorded in the checkpoint (<see cref="Checkpoint.Undone"/>).
    /// </summary>
    /// <param name="onProgress">Receives progress as roots are read, compared and restored (large trees take a while).</param>
    public UndoResult Undo(Checkpoint checkpoint, bool dryRun = false, bool force = false, Action<UndoProgress>? onProgress = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var total = new RootUndo();
        if (!checkpoint.Taken)
        {
            total.Notes.Add($"no checkpoint was taken: {checkpoint.Reason}");
        }
        else
        {
            var dir = CheckpointDirectory(checkpoint);
            var count = checkpoint.Details.Count;
            var percent = -1;
            string? shown = null;
            for (var i = 0; i < count; i++)
            {
                var root = checkpoint.Details[i];
                if (!root.Taken)
                {
                    total.Notes.Add($"{root.Path}: not recorded ({root.Reason}); left alone.");
                    continue;
                }
                var index = i;
                // Roots share the bar equally; a report is passed on only when the status or the whole percentage changes.
                void Report(string status, double fraction)
                {
                    var now = (int)Math.Clamp((index + fraction) * 100 / count, 0, 100);
                    if (now == percent && status == shown) return;
                    (percent, shown) = (now, status);
                    onProgress?.Invoke(new UndoProgress(status, now));
                }
                var part = root.Kind == CheckpointKind.Git
                    ? GitSnapshot.Undo(root, dir, i, dryRun, force, Report)
                    : CopySnapshot.Undo(root, dir, i, dryRun, force, Report);
                total.Restored.AddRange(part.Restored);
                total.Deleted.AddRange(part.Deleted);
                total.Recreated.AddRange(part.Recreated);
                total.Conflicts.AddRange(part.Conflicts);
                total.Notes.AddRange(part.Notes);
                total.Changed += part.Changed;
                total.AlreadyBack += part.AlreadyBack;
            }
        }
        var applied = total.Restored.Count + total.Deleted.Count + total.Recreated.Count;
        if (!dryRun && applied > 0) Save(With(checkpoint, undone: DateTimeOffset.UtcNow));
        return new UndoResult
        {
            CheckpointId = checkpoint.Id,
            AuditId = checkpoint.AuditId,
            Status = total.Conflicts.Count > 0 ? UndoStatus.PartlyUndone
                : applied > 0 ? UndoStatus.Undone
                // Without a post-run state every path looks unchanged once undone; the record of the undo tells.
                : total.Changed > 0 || checkpoint.Undone is not null ? UndoStatus.AlreadyUndone
                : UndoStatus.NothingToUndo,
            Restored = total.Restored,
            Deleted = total.Deleted,
            Recreated = total.Recreated,
            Conflicts = total.Conflicts,
            Notes = total.Notes,
            DryRun = dryRun,
        };
    }

    /// <summary>Every checkpoint in the store, newest first. Unreadable metadata is skipped.</summary>
    public IReadOnlyList<Checkpoint> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var list = new List<Checkpoint>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Directory))
        {
            var file = Path.Combine(dir, MetadataFile);
            if (!File.Exists(file)) continue;
            try
            {
                if (JsonSerializer.Deserialize<Checkpoint>(File.ReadAllBytes(file), RollbackJson.Options) is { } c) list.Add(c);
            }
            catch (JsonException)
            {
                // A half-written or hand-edited file must not hide the other checkpoints.
            }
        }
        return list.OrderByDescending(c => c.Created).ThenByDescending(c => c.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The checkpoint with this id, else the newest one for this audit id; null when none.</summary>
    public Checkpoint? Find(string idOrAuditId)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrAuditId);
        var all = List();
        return all.FirstOrDefault(c => c.Id == idOrAuditId) ?? all.FirstOrDefault(c => c.AuditId == idOrAuditId);
    }

    /// <summary>
    /// Deletes checkpoints created before <c>now - olderThan</c> (their refs and folders), then lets the checkpoint
    /// repositories drop the objects only they needed; returns the deleted checkpoints.
    /// </summary>
    public IReadOnlyList<Checkpoint> Prune(TimeSpan olderThan, DateTimeOffset? now = null)
    {
        var cutoff = (now ?? DateTimeOffset.UtcNow) - olderThan;
        var pruned = List().Where(c => c.Created < cutoff).ToList();
        foreach (var c in pruned) Delete(c);
        foreach (var gitDir in pruned.SelectMany(c => c.Details).Select(r => r.CheckpointRepository).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            try
            {
                if (System.IO.Directory.Exists(gitDir)) CheckpointRepository.At(gitDir).CollectGarbage();
            }
            catch (CheckpointException)
            {
                // Housekeeping only: the unreferenced objects take space until the next prune succeeds.
            }
        }
        return pruned;
    }

    /// <summary>Deletes one checkpoint: the refs of its git roots and its folder.</summary>
    public void Delete(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        foreach (var root in checkpoint.Details.Where(r => r.Kind == CheckpointKind.Git)) GitSnapshot.Delete(root);
        var dir = Path.Combine(Directory, checkpoint.Id);
        if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
    }

    private string CheckpointDirectory(Checkpoint checkpoint)
    {
        var dir = Path.Combine(Directory, checkpoint.Id);
        if (!System.IO.Directory.Exists(dir)) throw new CheckpointException($"checkpoint {checkpoint.Id} is not in {Directory} (pruned or deleted?)");
        return dir;
    }

    private void Save(Checkpoint checkpoint)
    {
        var file = Path.Combine(Directory, checkpoint.Id, MetadataFile);
        var temp = file + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(checkpoint, RollbackJson.Options));
        File.Move(temp, file, overwrite: true);
    }

    private static Checkpoint With(Checkpoint c, IReadOnlyList<CheckpointRoot>? details = null, DateTimeOffset? afterRun = null, DateTimeOffset? undone = null) => new()
    {
        Id = c.Id, AuditId = c.AuditId, Created = c.Created, AfterRun = afterRun ?? c.AfterRun, Undone = undone ?? c.Undone, Roots = c.Roots,
        Kind = c.Kind, Taken = c.Taken, SizeBytes = c.SizeBytes, Reason = c.Reason, Details = details ?? c.Details,
    };

    // Sortable, safe as a git ref component and a folder name.
    private static string NewId() => $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
}
