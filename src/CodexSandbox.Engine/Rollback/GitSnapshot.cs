namespace CodexSandbox.Engine.Rollback;

/// <summary>
/// Checkpoints of a root inside a git work tree, as commits built with a private index file, so the user's index,
/// stash, HEAD and branches are never touched. The commits, their refs and every object they need are kept in the
/// store's <see cref="CheckpointRepository"/>; git reads the user's work tree with the user's attributes and ignore
/// rules, but writes objects only there.
/// </summary>
internal static class GitSnapshot
{
    private const string GitlinkMode = "160000";
    // Restoring goes in about 20 steps so progress can be shown, but never fewer than this many paths per git call.
    private const int MinCheckoutBatch = 100;

    /// <summary>Where the root sits in a git work tree, or null (with the reason) when git cannot be used for it.</summary>
    public static GitLocation? Locate(string root, out string? whyNot)
    {
        GitCli.Result info;
        try
        {
            info = GitCli.Run(root, ["rev-parse", "--show-toplevel", "--show-prefix", "--git-path", "index", "--git-path", "objects", "--show-object-format"]);
        }
        catch (CheckpointException e)
        {
            whyNot = e.Message;
            return null;
        }
        var lines = info.Text.Split('\n');
        if (info.ExitCode != 0 || lines.Length < 5 || lines[0].Length == 0)
        {
            whyNot = "not inside a git work tree";
            return null;
        }
        var (top, prefix, index, objects, format) = (lines[0], lines[1], lines[2], lines[3], lines[4]);
        // --git-path answers relative to the current directory unless the git dir is elsewhere (worktrees, GIT_DIR files).
        if (!Path.IsPathRooted(index)) index = Path.GetFullPath(Path.Combine(root, index));
        if (!Path.IsPathRooted(objects)) objects = Path.GetFullPath(Path.Combine(root, objects));
        if (prefix.Length > 0 && GitCli.Run(top, ["check-ignore", "-q", "--", prefix], literalPathspecs: false).ExitCode == 0)
        {
            whyNot = "the folder is ignored by git";
            return null;
        }
        whyNot = null;
        return new GitLocation(top, prefix, index, objects, format);
    }

    public static CheckpointRoot Take(string root, GitLocation where, string checkpointDirectory, int rootIndex, string id)
    {
        var repo = CheckpointRepository.Open(StoreOf(checkpointDirectory), where.ObjectFormat);
        var top = where.Top;
        var prefix = where.Prefix;
        var snapshotIndex = IndexFile(checkpointDirectory, rootIndex);
        // Starting from the user's index reuses its stat cache, so only changed files are hashed. Its entries name objects
        // in the user's object folder, which git may read (borrow) but never writes to; Adopt then copies them.
        if (File.Exists(where.IndexPath)) File.Copy(where.IndexPath, snapshotIndex, overwrite: true);
        var borrowing = repo.Objects with { Borrowed = where.ObjectDirectory };
        var tree = WriteTree(top, prefix, snapshotIndex, borrowing);
        var commit = repo.Commit(tree, parent: null, $"codex-sandbox checkpoint {id} of {root}", where.ObjectDirectory);
        repo.Adopt(commit, where.ObjectDirectory);
        var refName = CheckpointRepository.RefName(id, rootIndex);
        repo.SetRef(refName, commit);

        // Git trees hold no empty folders; remember the untracked ones so undo neither removes nor forgets them.
        List<string> others = ["ls-files", "-z", "-o", "--directory", "--exclude-standard"];
        if (prefix.Length > 0) others.AddRange(["--", prefix.TrimEnd('/')]);
        var folders = GitCli.SplitZ(GitCli.Check(top, others).Stdout).Where(p => p.EndsWith('/')).Select(p => p.TrimEnd('/'));
        File.WriteAllBytes(FoldersFile(checkpointDirectory, rootIndex), GitCli.JoinZ(folders));

        var (count, size) = Measure(top, tree, prefix, repo.Objects);
        return new CheckpointRoot
        {
            Path = root, Kind = CheckpointKind.Git, Taken = true, Repository = top, Prefix = prefix,
            CheckpointRepository = repo.GitDirectory, Ref = refName, Commit = commit, FileCount = count, SizeBytes = size,
        };
    }

    /// <summary>Records the post-run state as a child commit of the checkpoint and moves the ref to it (both stay reachable).</summary>
    public static CheckpointRoot MarkAfterRun(CheckpointRoot root, string checkpointDirectory, int rootIndex)
    {
        var top = root.Repository!;
        var repo = RepositoryOf(root);
        var temp = TempIndex(root, checkpointDirectory, rootIndex);
        try
        {
            // Every object the saved index names was adopted, so nothing needs to be borrowed from the user's repository.
            var tree = WriteTree(top, root.Prefix!, temp, ObjectsOf(root));
            var message = $"codex-sandbox state after the run of {root.Path}";
            string after;
            if (repo is not null)
            {
                after = repo.Commit(tree, root.Commit, message);
                repo.SetRef(root.Ref!, after);
            }
            else
            {
                after = GitCli.Check(top, ["commit-tree", "--no-gpg-sign", tree, "-p", root.Commit!, "-m", message]).Text;
                GitCli.Check(top, ["update-ref", root.Ref!, after]);
            }
            return With(root, after);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Deletes the checkpoint's ref, wherever it was recorded.</summary>
    public static void Delete(CheckpointRoot root)
    {
        if (root.Ref is null) return;
        if (root.CheckpointRepository is { } gitDir)
        {
            if (Directory.Exists(gitDir)) CheckpointRepository.At(gitDir).DeleteRef(root.Ref);
        }
        else if (root.Repository is { } top && Directory.Exists(top))
        {
            GitCli.Run(top, ["update-ref", "-d", root.Ref]);
        }
    }

    /// <param name="report">Receives what is being done and how far this root is (0 to 1).</param>
    public static RootUndo Undo(CheckpointRoot root, string checkpointDirectory, int rootIndex, bool dryRun, bool force, Action<string, double> report)
    {
        var result = new RootUndo();
        var top = root.Repository!;
        var prefix = root.Prefix!;
        var objects = ObjectsOf(root);
        var pre = root.Commit + "^{tree}";
        var after = root.AfterCommit is null ? null : root.AfterCommit + "^{tree}";
        var temp = TempIndex(root, checkpointDirectory, rootIndex);
        try
        {
            report($"Reading the current state of {root.Path}", 0);
            var current = WriteTree(top, prefix, temp, objects);
            report($"Comparing {root.Path} with checkpoint", 0.4);
            var byRun = Diff(top, pre, after ?? current, prefix, objects);
            var sinceRun = after is null ? [] : Diff(top, after, current, prefix, objects).ToDictionary(d => d.Path, StringComparer.Ordinal);
            // What differs from the checkpoint now; a path the run changed that is not here is already back (an earlier undo).
            var notBack = after is null ? null : Diff(top, pre, current, prefix, objects).Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
            if (after is null) result.Notes.Add($"{root.Path}: the state after the run was not recorded, so every change since the checkpoint is undone and none can be flagged as a conflict.");

            var plan = new List<PlannedChange>();
            foreach (var change in byRun)
            {
                var abs = Absolute(top, change.Path);
                if (change.OldMode == GitlinkMode || change.NewMode == GitlinkMode)
                {
                    result.Notes.Add($"{abs}: a submodule changed; its contents are not restored.");
                    continue;
                }
                result.Changed++;
                if (notBack is not null && !notBack.Contains(change.Path))
                {
                    result.AlreadyBack++;
                    continue;
                }
                var action = change.Status switch { 'A' => UndoAction.Delete, 'D' => UndoAction.Recreate, _ => UndoAction.Restore };
                string? conflict = sinceRun.TryGetValue(change.Path, out var later) ? Describe(later.Status) : null;
                if (conflict is not null && !force)
                {
                    result.Conflicts.Add($"{abs}: {conflict}");
                    continue;
                }
                plan.Add(new PlannedChange(change.Path, action, conflict));
            }

            if (dryRun)
            {
                foreach (var p in plan) result.Add(p.Action, Absolute(top, p.RelativePath));
                return result;
            }
            report($"Restoring {root.Path}", 0.5);
            Apply(root, top, pre, temp, plan, result, checkpointDirectory, rootIndex, objects, (done, total) => report($"Restoring {root.Path}: {done} of {total}", 0.5 + 0.5 * done / Math.Max(1, total)));
            return result;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void Apply(CheckpointRoot root, string top, string pre, string temp, List<PlannedChange> plan, RootUndo result, string checkpointDirectory,
        int rootIndex, GitObjects? objects, Action<int, int> progress)
    {
        var (done, total) = (0, plan.Count);
        var every = Math.Max(1, total / 20);
        // 1. Remove what the run created, then the folders it created that are now empty.
        var removedParents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in plan.Where(p => p.Action == UndoAction.Delete))
        {
            var abs = Absolute(top, p.RelativePath);
            var info = new FileInfo(abs);
            if (info.LinkTarget is null && Directory.Exists(abs))
            {
                result.Conflicts.Add($"{abs}: is a folder now; left alone");
                continue;
            }
            if (info.Exists || info.LinkTarget is not null) info.Delete();
            result.Deleted.Add(abs);
            if (++done % every == 0) progress(done, total);
            for (var dir = ParentOf(p.RelativePath); dir.Length > 0; dir = ParentOf(dir)) removedParents.Add(dir);
        }
        var untrackedFolders = ReadFolders(checkpointDirectory, rootIndex);
        if (removedParents.Count > 0)
        {
            var preDirs = GitCli.SplitZ(GitCli.Check(top, ["ls-tree", "-r", "-d", "-z", "--name-only", pre], objects: objects).Stdout).ToHashSet(StringComparer.Ordinal);
            preDirs.UnionWith(untrackedFolders);
            var rootPrefix = root.Prefix!.TrimEnd('/');
            foreach (var dir in removedParents.OrderByDescending(d => d.Length))
            {
                if (preDirs.Contains(dir) || (rootPrefix.Length > 0 && !dir.StartsWith(rootPrefix + "/", StringComparison.Ordinal))) continue;
                var abs = Absolute(top, dir);
                if (Directory.Exists(abs) && new FileInfo(abs).LinkTarget is null && !Directory.EnumerateFileSystemEntries(abs).Any())
                    Directory.Delete(abs);
            }
        }

        // 2. Put back what the run changed or deleted, through git so modes, symlinks and filters are honoured.
        var toCheckout = plan.Where(p => p.Action != UndoAction.Delete).ToList();
        if (toCheckout.Count > 0) Checkout(top, pre, temp, toCheckout, result, objects, n => progress(done + n, total));

        // 3. Empty (untracked) folders the run removed.
        foreach (var dir in untrackedFolders)
        {
            var abs = Absolute(top, dir);
            if (!Path.Exists(abs) && !LinkOnTheWay(top, dir)) Directory.CreateDirectory(abs);
        }
    }

    private static void Checkout(string top, string pre, string temp, List<PlannedChange> toCheckout, RootUndo result, GitObjects? objects, Action<int> progress)
    {
        foreach (var p in toCheckout)
        {
            // A folder (now empty) where the checkpoint had a file: remove it so the file can be written.
            var abs = Absolute(top, p.RelativePath);
            if (Directory.Exists(abs) && new FileInfo(abs).LinkTarget is null && !Directory.EnumerateFileSystemEntries(abs).Any()) Directory.Delete(abs);
        }
        GitCli.Check(top, ["read-tree", pre], temp, objects: objects);
        var size = Math.Max(MinCheckoutBatch, toCheckout.Count / 20);
        for (var start = 0; start < toCheckout.Count; start += size)
        {
            var batch = toCheckout.Skip(start).Take(size).ToList();
            var checkout = GitCli.Run(top, ["checkout-index", "-f", "-z", "--stdin"], temp, GitCli.JoinZ(batch.Select(p => p.RelativePath)), objects: objects);
            foreach (var p in batch)
            {
                var abs = Absolute(top, p.RelativePath);
                var info = new FileInfo(abs);
                if (info.Exists || info.LinkTarget is not null) result.Add(p.Action, abs);
                else result.Conflicts.Add($"{abs}: could not be restored ({FirstLine(checkout.Stderr)})");
            }
            progress(start + batch.Count);
        }
    }

    private sealed record TreeChange(char Status, string Path, string OldMode, string NewMode);

    private static List<TreeChange> Diff(string top, string from, string to, string prefix, GitObjects? objects)
    {
        List<string> args = ["diff-tree", "-r", "-z", "--no-renames", "--raw", from, to];
        if (prefix.Length > 0) args.AddRange(["--", prefix.TrimEnd('/')]);
        var changes = new List<TreeChange>();
        using var items = GitCli.SplitZ(GitCli.Check(top, args, objects: objects).Stdout).GetEnumerator();
        while (items.MoveNext())
        {
            var meta = items.Current; // ":100644 100755 <sha> <sha> M"
            if (!meta.StartsWith(':') || !items.MoveNext()) continue;
            var fields = meta[1..].Split(' ');
            changes.Add(new TreeChange(fields[4][0], items.Current, fields[0], fields[1]));
        }
        return changes;
    }

    private static string WriteTree(string top, string prefix, string indexFile, GitObjects? objects)
    {
        List<string> add = ["add", "-A"];
        if (prefix.Length > 0) add.AddRange(["--", prefix.TrimEnd('/')]);
        GitCli.Check(top, add, indexFile, objects: objects);
        return GitCli.Check(top, ["write-tree"], indexFile, objects: objects).Text;
    }

    private static (int Count, long Size) Measure(string top, string tree, string prefix, GitObjects objects)
    {
        List<string> args = ["ls-tree", "-r", "-l", "-z", tree];
        if (prefix.Length > 0) args.AddRange(["--", prefix.TrimEnd('/')]);
        var (count, size) = (0, 0L);
        foreach (var line in GitCli.SplitZ(GitCli.Check(top, args, objects: objects).Stdout))
        {
            // "<mode> <type> <object> <size>\t<path>"; size is '-' for submodules
            var tab = line.IndexOf('\t');
            if (tab < 0) continue;
            var fields = line[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            count++;
            if (fields.Length == 4 && long.TryParse(fields[3], out var s)) size += s;
        }
        return (count, size);
    }

    /// <summary>A throwaway copy of the checkpoint's index (its stat cache makes <c>add -A</c> fast).</summary>
    private static string TempIndex(CheckpointRoot root, string checkpointDirectory, int rootIndex)
    {
        var temp = Path.Combine(checkpointDirectory, $"git-index-{rootIndex}.{Guid.NewGuid():n}.tmp");
        var saved = IndexFile(checkpointDirectory, rootIndex);
        if (File.Exists(saved)) File.Copy(saved, temp);
        else GitCli.Check(root.Repository!, ["read-tree", root.Commit + "^{tree}"], temp, objects: ObjectsOf(root));
        return temp;
    }

    /// <summary>The store's repository the root was recorded in; null for a checkpoint of an earlier version (objects in the user's repository).</summary>
    private static CheckpointRepository? RepositoryOf(CheckpointRoot root) =>
        root.CheckpointRepository is { } gitDir ? CheckpointRepository.At(gitDir) : null;

    private static GitObjects? ObjectsOf(CheckpointRoot root) => RepositoryOf(root)?.Objects;

    // The checkpoint folder is <store>/<id>.
    private static string StoreOf(string checkpointDirectory) => Path.GetDirectoryName(checkpointDirectory)!;

    private static string FoldersFile(string checkpointDirectory, int rootIndex) => Path.Combine(checkpointDirectory, $"git-folders-{rootIndex}");

    private static List<string> ReadFolders(string checkpointDirectory, int rootIndex)
    {
        var file = FoldersFile(checkpointDirectory, rootIndex);
        return File.Exists(file) ? GitCli.SplitZ(File.ReadAllBytes(file)).ToList() : [];
    }

    /// <summary>True when a component above the path is a symbolic link (creating the folder would write through it).</summary>
    private static bool LinkOnTheWay(string top, string relative)
    {
        var path = top;
        foreach (var part in relative.Split('/')[..^1])
        {
            path = Path.Combine(path, part);
            if (new FileInfo(path).LinkTarget is not null) return true;
        }
        return false;
    }

    private static string IndexFile(string checkpointDirectory, int rootIndex) => Path.Combine(checkpointDirectory, $"git-index-{rootIndex}");

    private static CheckpointRoot With(CheckpointRoot r, string afterCommit) => new()
    {
        Path = r.Path, Kind = r.Kind, Taken = r.Taken, Reason = r.Reason, Repository = r.Repository, Prefix = r.Prefix,
        CheckpointRepository = r.CheckpointRepository, Ref = r.Ref, Commit = r.Commit, AfterCommit = afterCommit, FileCount = r.FileCount, SizeBytes = r.SizeBytes,
    };

    private static string Describe(char status) => status switch
    {
        'A' => "created again after the run",
        'D' => "deleted after the run",
        'T' => "changed type after the run",
        _ => "modified after the run",
    };

    internal static string Absolute(string top, string relative) => Path.Combine(top, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string ParentOf(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? "" : relative[..slash];
    }

    private static string FirstLine(string text)
    {
        var t = text.Trim();
        var nl = t.IndexOf('\n');
        return nl < 0 ? (t.Length == 0 ? "git wrote nothing" : t) : t[..nl];
    }
}
