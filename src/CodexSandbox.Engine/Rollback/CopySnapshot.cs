using System.Security.Cryptography;
using System.Text.Json;

namespace CodexSandbox.Engine.Rollback;

/// <summary>
/// Checkpoints of a plain folder: a copy of every file under a size cap plus a manifest (path, size,
/// mtime, mode, SHA-256). Symbolic links are recorded, never followed.
/// </summary>
internal static class CopySnapshot
{
    public static CheckpointRoot Take(string root, string checkpointDirectory, int rootIndex, long maxBytes)
    {
        List<(string Rel, FileSystemInfo Info)> entries;
        try
        {
            entries = Walk(root, StoreOf(checkpointDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return NotTaken(root, $"could not read {root}: {e.Message}");
        }
        var total = entries.Where(e => e.Info is FileInfo { LinkTarget: null }).Sum(e => ((FileInfo)e.Info).Length);
        if (total > maxBytes)
            return NotTaken(root, $"{root} holds {Mb(total)} MB of files, over the {Mb(maxBytes)} MB limit (max_snapshot_mb); no checkpoint was taken");

        var filesDir = FilesDirectory(checkpointDirectory, rootIndex);
        Directory.CreateDirectory(filesDir);
        var manifest = new List<ManifestEntry>(entries.Count);
        try
        {
            foreach (var (rel, info) in entries)
                manifest.Add(Describe(rel, info, Path.Combine(filesDir, rel)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Directory.Delete(filesDir, recursive: true);
            return NotTaken(root, $"could not copy a file under {root}: {e.Message}");
        }
        Save(ManifestFile(checkpointDirectory, rootIndex, after: false), manifest);
        return new CheckpointRoot
        {
            Path = root, Kind = CheckpointKind.Copy, Taken = true,
            FileCount = manifest.Count(m => m.Type != "dir"), SizeBytes = total,
        };
    }

    public static void MarkAfterRun(CheckpointRoot root, string checkpointDirectory, int rootIndex) =>
        Save(ManifestFile(checkpointDirectory, rootIndex, after: true), Scan(root.Path, StoreOf(checkpointDirectory), null));

    /// <param name="report">Receives what is being done and how far this root is (0 to 1).</param>
    public static RootUndo Undo(CheckpointRoot root, string checkpointDirectory, int rootIndex, bool dryRun, bool force, Action<string, double> report)
    {
        var result = new RootUndo();
        var pre = Load(ManifestFile(checkpointDirectory, rootIndex, after: false))
            ?? throw new CheckpointException($"the copy of {root.Path} is missing from {checkpointDirectory}");
        var afterList = Load(ManifestFile(checkpointDirectory, rootIndex, after: true));
        // Hashing every file is most of the work; the recorded states say about how many there are.
        var expected = Math.Max(1, Math.Max(pre.Count, afterList?.Count ?? 0));
        var reading = $"Reading the current state of {root.Path}";
        report(reading, 0);
        var current = Index(Scan(root.Path, StoreOf(checkpointDirectory), n => report(reading, 0.5 * Math.Min(n, expected) / expected)));
        var after = afterList is null ? current : Index(afterList);
        var before = Index(pre);
        if (afterList is null) result.Notes.Add($"{root.Path}: the state after the run was not recorded, so every change since the checkpoint is undone and none can be flagged as a conflict.");

        var plan = new List<PlannedChange>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(path, out var b);
            after.TryGetValue(path, out var a);
            if (ManifestEntry.Same(b, a)) continue;
            result.Changed++;
            current.TryGetValue(path, out var c);
            if (ManifestEntry.Same(b, c))
            {
                result.AlreadyBack++;
                continue;
            }
            var action = b is null ? UndoAction.Delete : a is null ? UndoAction.Recreate : UndoAction.Restore;
            string? conflict = ManifestEntry.Same(a, c) ? null : c is null ? "deleted after the run" : a is null ? "created after the run" : "modified after the run";
            if (conflict is not null && !force)
            {
                if ((a ?? b)!.Type != "dir") result.Conflicts.Add($"{Absolute(root.Path, path)}: {conflict}");
                continue;
            }
            plan.Add(new PlannedChange(path, action, conflict));
        }

        var filesDir = FilesDirectory(checkpointDirectory, rootIndex);
        var (done, every) = (0, Math.Max(1, plan.Count / 20));
        void Step()
        {
            if (!dryRun && ++done % every == 0) report($"Restoring {root.Path}: {done} of {plan.Count}", 0.5 + 0.5 * done / plan.Count);
        }
        foreach (var p in plan.Where(p => p.Action == UndoAction.Delete && after[p.RelativePath].Type != "dir"))
        {
            var abs = Absolute(root.Path, p.RelativePath);
            if (!dryRun) DeleteEntry(abs);
            result.Deleted.Add(abs);
            Step();
        }
        if (!dryRun)
        {
            foreach (var p in plan.Where(p => p.Action == UndoAction.Delete && after[p.RelativePath].Type == "dir").OrderByDescending(p => p.RelativePath.Length))
            {
                var abs = Absolute(root.Path, p.RelativePath);
                if (IsRealDirectory(abs) && !Directory.EnumerateFileSystemEntries(abs).Any()) Directory.Delete(abs);
                else if (IsRealDirectory(abs)) result.Notes.Add($"{abs}: a folder the run created still holds files created later; left in place.");
            }
        }
        // Ordinal order puts every folder before the entries inside it.
        foreach (var p in plan.Where(p => p.Action != UndoAction.Delete))
        {
            var entry = before[p.RelativePath];
            var abs = Absolute(root.Path, p.RelativePath);
            if (dryRun)
            {
                if (entry.Type != "dir") result.Add(p.Action, abs);
                continue;
            }
            var problem = Restore(root.Path, p.RelativePath, entry, filesDir);
            Step();
            if (problem is not null) result.Conflicts.Add($"{abs}: {problem}");
            else if (entry.Type != "dir") result.Add(p.Action, abs);
        }
        return result;
    }

    /// <summary>Puts one entry back; returns why it could not, or null.</summary>
    private static string? Restore(string root, string rel, ManifestEntry entry, string filesDir)
    {
        var abs = Absolute(root, rel);
        // Never write through a link the run (or anyone) planted in a parent folder.
        if (LinkedAncestor(root, rel) is { } link) return $"a parent folder is now a symbolic link ({link}); left alone";
        var existing = new FileInfo(abs);
        if (existing.LinkTarget is not null || existing.Exists)
        {
            if (entry.Type == "file" && existing.LinkTarget is null && existing.Exists && Sha256Of(abs) == entry.Sha256)
            {
                SetMode(abs, entry.Mode);
                return null;
            }
            existing.Delete();
        }
        else if (Directory.Exists(abs))
        {
            if (entry.Type == "dir") return null;
            if (Directory.EnumerateFileSystemEntries(abs).Any()) return "is a folder holding other files now; left alone";
            Directory.Delete(abs);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(abs)!);
        switch (entry.Type)
        {
            case "dir":
                Directory.CreateDirectory(abs);
                SetMode(abs, entry.Mode);
                break;
            case "link":
                File.CreateSymbolicLink(abs, entry.Target!);
                break;
            default:
                File.Copy(Path.Combine(filesDir, rel), abs);
                SetMode(abs, entry.Mode);
                File.SetLastWriteTimeUtc(abs, entry.MtimeUtc);
                break;
        }
        return null;
    }

    private static string? LinkedAncestor(string root, string rel)
    {
        var parts = rel.Split('/');
        var path = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            path = Path.Combine(path, parts[i]);
            if (new FileInfo(path).LinkTarget is not null) return path;
        }
        return null;
    }

    private static void DeleteEntry(string abs)
    {
        var info = new FileInfo(abs);
        if (info.Exists || info.LinkTarget is not null) info.Delete();
    }

    private static bool IsRealDirectory(string abs) => Directory.Exists(abs) && new FileInfo(abs).LinkTarget is null;

    /// <summary>Describes an entry; when <paramref name="copyTo"/> is given, copies the file there while hashing it.</summary>
    private static ManifestEntry Describe(string rel, FileSystemInfo info, string? copyTo)
    {
        if (info.LinkTarget is { } target)
            return new ManifestEntry { Path = rel, Type = "link", Target = target, MtimeUtc = info.LastWriteTimeUtc };
        var mode = (int)info.UnixFileMode;
        if (info is DirectoryInfo)
        {
            if (copyTo is not null) Directory.CreateDirectory(copyTo);
            return new ManifestEntry { Path = rel, Type = "dir", Mode = mode, MtimeUtc = info.LastWriteTimeUtc };
        }
        var file = (FileInfo)info;
        string sha;
        // An empty length is also what FIFOs and devices report; never open those (a FIFO would block).
        if (file.Length == 0)
        {
            sha = Convert.ToHexString(SHA256.HashData(ReadOnlySpan<byte>.Empty));
            if (copyTo is not null) File.WriteAllBytes(copyTo, []);
        }
        else
        {
            using var src = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920);
            if (copyTo is null) sha = Convert.ToHexString(SHA256.HashData(src));
            else
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                using var dst = new FileStream(copyTo, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
                var buffer = new byte[81920];
                int n;
                while ((n = src.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    dst.Write(buffer, 0, n);
                }
                sha = Convert.ToHexString(hash.GetHashAndReset());
            }
        }
        return new ManifestEntry { Path = rel, Type = "file", Size = file.Length, Mode = mode, MtimeUtc = file.LastWriteTimeUtc, Sha256 = sha };
    }

    /// <param name="scanned">Receives the number of entries described so far, every 100 entries.</param>
    private static List<ManifestEntry> Scan(string root, string excluded, Action<int>? scanned)
    {
        var entries = Walk(root, excluded);
        var result = new List<ManifestEntry>(entries.Count);
        foreach (var (rel, info) in entries)
        {
            result.Add(Describe(rel, info, null));
            if (result.Count % 100 == 0) scanned?.Invoke(result.Count);
        }
        return result;
    }

    // The store may sit inside a root (a Codex home inside the project); it must never be copied or undone.
    private static string StoreOf(string checkpointDirectory) => Path.GetDirectoryName(checkpointDirectory)!;

    /// <summary>Every entry under the root except <paramref name="excluded"/>, parents before children, without following symbolic links.</summary>
    private static List<(string Rel, FileSystemInfo Info)> Walk(string root, string excluded)
    {
        var options = new EnumerationOptions { IgnoreInaccessible = false, AttributesToSkip = 0, RecurseSubdirectories = false };
        var result = new List<(string, FileSystemInfo)>();
        var pending = new Stack<(string Rel, DirectoryInfo Dir)>();
        pending.Push(("", new DirectoryInfo(root)));
        while (pending.Count > 0)
        {
            var (prefix, dir) = pending.Pop();
            foreach (var info in dir.EnumerateFileSystemInfos("*", options))
            {
                if (info.FullName == excluded) continue;
                var rel = prefix.Length == 0 ? info.Name : prefix + "/" + info.Name;
                result.Add((rel, info));
                if (info is DirectoryInfo sub && info.LinkTarget is null) pending.Push((rel, sub));
            }
        }
        return result;
    }

    private static Dictionary<string, ManifestEntry> Index(List<ManifestEntry> entries) => entries.ToDictionary(e => e.Path, StringComparer.Ordinal);

    private static void Save(string file, List<ManifestEntry> manifest)
    {
        var temp = file + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(manifest, RollbackJson.Options));
        File.Move(temp, file, overwrite: true);
    }

    private static List<ManifestEntry>? Load(string file) =>
        File.Exists(file) ? JsonSerializer.Deserialize<List<ManifestEntry>>(File.ReadAllBytes(file), RollbackJson.Options) : null;

    private static CheckpointRoot NotTaken(string root, string reason) => new() { Path = root, Kind = CheckpointKind.None, Taken = false, Reason = reason };

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static string FilesDirectory(string checkpointDirectory, int rootIndex) => Path.Combine(checkpointDirectory, $"files-{rootIndex}");

    private static string ManifestFile(string checkpointDirectory, int rootIndex, bool after) =>
        Path.Combine(checkpointDirectory, after ? $"manifest-{rootIndex}.after.json" : $"manifest-{rootIndex}.json");

    internal static string Absolute(string root, string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

    // Windows has no permission bits to put back; its files keep what the folder gives them.
    private static void SetMode(string path, int mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    private static string Sha256Of(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(s));
    }
}
