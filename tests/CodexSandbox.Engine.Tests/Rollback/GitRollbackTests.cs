using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Engine.Tests.Rollback;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class GitRollbackTests
{
    private const long Cap = 100L * 1024 * 1024;

    /// <summary>A repository with history, staged and unstaged changes, an untracked file, an ignored file and a stash entry.</summary>
    private static RollbackSandbox BusyRepo()
    {
        var t = new RollbackSandbox(git: true);
        t.Write(".gitignore", "build/\n*.log\n");
        t.Write("README.md", "readme v1\n");
        t.Write("src/app.cs", "class App {}\n");
        t.Write("src/deep/nested/data.bin", Enumerable.Range(0, 3000).Select(i => (byte)(i * 7 % 256)).ToArray());
        t.Write("src/run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(t.P("src/run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));
        t.Git("add", "-A");
        t.Git("commit", "-q", "-m", "first");
        t.Write("README.md", "stashed change\n");
        t.Git("stash", "-q");
        t.Write("README.md", "readme v2 staged\n");
        t.Git("add", "README.md");
        t.Write("README.md", "readme v3 unstaged\n");
        t.Write("notes.txt", "untracked, not ignored\n");
        t.Write("build/out.o", "ignored output\n");
        Directory.CreateDirectory(t.P("src/empty"));
        Directory.CreateDirectory(t.P("out"));
        return t;
    }

    [Fact]
    public void RmRfSrcThenUndoLeavesTheWorkTreeIndexAndStashExactlyAsBefore()
    {
        using var t = BusyRepo();
        var listing = t.Listing();
        var state = t.GitState();

        var checkpoint = t.Store.Take([t.Work], Cap, auditId: "audit-1");
        Assert.True(checkpoint.Taken);
        Assert.Equal(CheckpointKind.Git, checkpoint.Kind);
        Assert.Equal(state, t.GitState());

        t.Sh("rm -rf src && echo x > new");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        Assert.NotNull(checkpoint.AfterRun);
        var result = t.Store.Undo(checkpoint);

        Assert.Empty(result.Conflicts);
        Assert.Equal([t.P("new")], result.Deleted);
        Assert.Equal(new[] { "src/app.cs", "src/deep/nested/data.bin", "src/run.sh" }.Select(t.P), result.Recreated.Order(StringComparer.Ordinal));
        Assert.Equal(listing, t.Listing());
        Assert.Equal(state, t.GitState());
        Assert.Contains($"refs/checkpoints/{checkpoint.Id}/0", t.CheckpointGit("for-each-ref", "--format=%(refname)"));
    }

    [Fact]
    public void DryRunListsEveryKindOfChangeExactlyAndTouchesNothing_ThenUndoRestoresAll()
    {
        using var t = BusyRepo();
        t.Write("a.txt", "a\n");
        t.Write("b.txt", "b\n");
        t.Write("c.txt", "c\n");
        t.Write("image.bin", [0, 1, 2, 255, 0, 13, 10]);
        File.CreateSymbolicLink(t.P("link"), "a.txt");
        var before = t.Listing();
        var checkpoint = t.Store.Take([t.Work], Cap);

        // The run: modify, delete, rename, binary change, mode change, odd names, nested new folders, a file replaced by a folder.
        File.WriteAllText(t.P("a.txt"), "a changed\n");
        File.Delete(t.P("b.txt"));
        File.Move(t.P("c.txt"), t.P("renamed.txt"));
        t.Write("image.bin", [9, 0, 9, 0]);
        File.SetUnixFileMode(t.P("notes.txt"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.Delete(t.P("link"));
        File.CreateSymbolicLink(t.P("link"), "/etc");
        t.Write("dir with space/new\nline.txt", "odd\n");
        t.Write("-leading-dash.txt", "dash\n");
        t.Write("ünïcödé ✓.txt", "unicode\n");
        t.Write("x/y/z/deep.txt", "deep\n");
        t.Write("out/made.txt", "in a folder that was empty\n");
        File.Delete(t.P("src/app.cs"));
        t.Write("src/app.cs/inside.txt", "file became a folder\n");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        var afterRun = t.Listing();

        var dry = t.Store.Undo(checkpoint, dryRun: true);
        Assert.True(dry.DryRun);
        Assert.Equal(afterRun, t.Listing());
        Assert.Empty(dry.Conflicts);
        Assert.Equal(new[] { "a.txt", "image.bin", "link", "notes.txt" }.Select(t.P), dry.Restored.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "b.txt", "c.txt", "src/app.cs" }.Select(t.P), dry.Recreated.Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { "-leading-dash.txt", "dir with space/new\nline.txt", "out/made.txt", "renamed.txt", "src/app.cs/inside.txt", "x/y/z/deep.txt", "ünïcödé ✓.txt" }.Select(t.P).Order(StringComparer.Ordinal),
            dry.Deleted.Order(StringComparer.Ordinal));

        var done = t.Store.Undo(checkpoint);
        Assert.False(done.DryRun);
        Assert.Equal(dry.Restored.Order(), done.Restored.Order());
        Assert.Equal(dry.Recreated.Order(), done.Recreated.Order());
        Assert.Equal(dry.Deleted.Order(), done.Deleted.Order());
        Assert.Equal(before, t.Listing());
    }

    [Fact]
    public void IgnoredFilesAreNeverTouched()
    {
        using var t = BusyRepo();
        var checkpoint = t.Store.Take([t.Work], Cap);
        t.Write("build/out.o", "changed by the run\n");
        t.Write("build/new.o", "created by the run\n");
        t.Write("logs/keep.txt", "not ignored\n");
        t.Write("logs/run.log", "ignored\n");
        checkpoint = t.Store.MarkAfterRun(checkpoint);

        var result = t.Store.Undo(checkpoint);

        Assert.Equal([t.P("logs/keep.txt")], result.Deleted);
        Assert.Equal("changed by the run\n", t.Read("build/out.o"));
        Assert.Equal("created by the run\n", t.Read("build/new.o"));
        Assert.Equal("ignored\n", t.Read("logs/run.log"));
        Assert.False(File.Exists(t.P("logs/keep.txt")));
    }

    [Fact]
    public void AFileChangedAgainAfterTheRunIsAConflictLeftAloneUnlessForced()
    {
        using var t = BusyRepo();
        t.Write("a.txt", "original a\n");
        t.Write("b.txt", "original b\n");
        t.Write("d.txt", "original d\n");
        var checkpoint = t.Store.Take([t.Work], Cap);
        t.Write("a.txt", "run a\n");
        t.Write("b.txt", "run b\n");
        t.Write("c.txt", "run c\n");
        t.Write("d.txt", "run d\n");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        t.Write("a.txt", "someone else\n");
        File.Delete(t.P("d.txt"));
        // Created by the run and deleted since: already as the checkpoint had it, so neither a conflict nor a change.
        File.Delete(t.P("c.txt"));

        var result = t.Store.Undo(checkpoint);

        Assert.Equal(2, result.Conflicts.Count);
        Assert.Contains(result.Conflicts, c => c.StartsWith(t.P("a.txt") + ":", StringComparison.Ordinal) && c.Contains("modified after the run"));
        Assert.Contains(result.Conflicts, c => c.StartsWith(t.P("d.txt") + ":", StringComparison.Ordinal) && c.Contains("deleted after the run"));
        Assert.Equal(UndoStatus.PartlyUndone, result.Status);
        Assert.Equal("someone else\n", t.Read("a.txt"));
        Assert.Equal("original b\n", t.Read("b.txt"));
        Assert.False(File.Exists(t.P("d.txt")));
        Assert.False(File.Exists(t.P("c.txt")));
        Assert.Equal([t.P("b.txt")], result.Restored);
        Assert.Empty(result.Deleted);

        var forced = t.Store.Undo(checkpoint, force: true);
        Assert.Empty(forced.Conflicts);
        Assert.Equal(UndoStatus.Undone, forced.Status);
        Assert.Equal("original a\n", t.Read("a.txt"));
        Assert.Equal("original d\n", t.Read("d.txt"));
        Assert.False(File.Exists(t.P("c.txt")));
    }

    [Fact]
    public void WithoutAPostRunStateEveryChangeSinceTheCheckpointIsUndoneAndSaysSo()
    {
        using var t = BusyRepo();
        var before = t.Listing();
        var checkpoint = t.Store.Take([t.Work], Cap);
        t.Write("README.md", "overwritten\n");
        t.Write("fresh/file.txt", "new\n");

        var result = t.Store.Undo(checkpoint);

        Assert.Empty(result.Conflicts);
        Assert.Contains(result.Notes, n => n.Contains("not recorded"));
        Assert.Equal(before, t.Listing());
    }

    [Fact]
    public void ASymlinkPlantedByTheRunIsRemovedNotWrittenThrough()
    {
        using var t = BusyRepo();
        var outside = t.Outside("victim.txt");
        File.WriteAllText(outside, "outside\n");
        var before = t.Listing();
        var checkpoint = t.Store.Take([t.Work], Cap);
        File.Delete(t.P("notes.txt"));
        File.CreateSymbolicLink(t.P("notes.txt"), outside);
        Directory.Delete(t.P("src/deep"), recursive: true);
        File.CreateSymbolicLink(t.P("src/deep"), Path.GetDirectoryName(outside)!);
        checkpoint = t.Store.MarkAfterRun(checkpoint);

        var result = t.Store.Undo(checkpoint);

        Assert.Empty(result.Conflicts);
        Assert.Equal("outside\n", File.ReadAllText(outside));
        Assert.Equal(before, t.Listing());
    }

    [Fact]
    public void ARootThatIsASubfolderOnlyUndoesChangesInsideIt()
    {
        using var t = BusyRepo();
        var checkpoint = t.Store.Take([t.P("src")], Cap);
        Assert.Equal("src/", Assert.Single(checkpoint.Details).Prefix);
        Assert.Equal(3, checkpoint.Details[0].FileCount);
        t.Write("src/app.cs", "changed\n");
        t.Write("outside.txt", "not in the root\n");
        checkpoint = t.Store.MarkAfterRun(checkpoint);

        var result = t.Store.Undo(checkpoint);

        Assert.Equal([t.P("src/app.cs")], result.Restored);
        Assert.Empty(result.Deleted);
        Assert.Equal("class App {}\n", t.Read("src/app.cs"));
        Assert.True(File.Exists(t.P("outside.txt")));
    }

    [Fact]
    public void WorksInALinkedWorktreeWhoseDotGitIsAPointerFile()
    {
        using var t = BusyRepo();
        t.Git("commit", "-q", "-m", "second");
        var linked = t.Outside("linked");
        t.Git("worktree", "add", "-q", "-b", "feature", linked);
        Assert.True(File.Exists(Path.Combine(linked, ".git")));
        var linkedIndex = File.ReadAllBytes(RollbackSandbox.Run(linked, "git", "rev-parse", "--path-format=absolute", "--git-path", "index").Trim());
        var mainState = t.GitState();

        var checkpoint = t.Store.Take([linked], Cap);
        Assert.Equal(CheckpointKind.Git, checkpoint.Kind);
        File.WriteAllText(Path.Combine(linked, "README.md"), "changed in the linked tree\n");
        File.WriteAllText(Path.Combine(linked, "added.txt"), "new\n");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        var result = t.Store.Undo(checkpoint);

        Assert.Equal([Path.Combine(linked, "README.md")], result.Restored);
        Assert.Equal([Path.Combine(linked, "added.txt")], result.Deleted);
        Assert.Equal("readme v2 staged\n", File.ReadAllText(Path.Combine(linked, "README.md")));
        Assert.Equal(linkedIndex, File.ReadAllBytes(RollbackSandbox.Run(linked, "git", "rev-parse", "--path-format=absolute", "--git-path", "index").Trim()));
        Assert.Equal(mainState, t.GitState());
    }

    [Fact]
    public void AnEmptyRepositoryWithoutCommitsCanBeCheckpointed()
    {
        using var t = new RollbackSandbox(git: true);
        t.Write("first.txt", "1\n");
        var checkpoint = t.Store.Take([t.Work], Cap);
        Assert.Equal(CheckpointKind.Git, checkpoint.Kind);
        File.Delete(t.P("first.txt"));
        checkpoint = t.Store.MarkAfterRun(checkpoint);

        var result = t.Store.Undo(checkpoint);

        Assert.Equal([t.P("first.txt")], result.Recreated);
        Assert.Equal("1\n", t.Read("first.txt"));
        Assert.Throws<InvalidOperationException>(() => t.Git("rev-parse", "--verify", "-q", "HEAD"));
    }
}

public class GitEnvironmentTests
{
    [Fact]
    public void GitVariablesOfTheCallingProcessCannotRedirectTheCheckpoint()
    {
        using var t = new RollbackSandbox(git: true);
        using var decoy = new RollbackSandbox(git: true);
        t.Write("real.txt", "real\n");
        var decoyRefs = decoy.Git("for-each-ref");
        var saved = (System.Environment.GetEnvironmentVariable("GIT_DIR"), System.Environment.GetEnvironmentVariable("GIT_INDEX_FILE"));
        CheckpointStore store = t.Store;
        Checkpoint checkpoint;
        try
        {
            System.Environment.SetEnvironmentVariable("GIT_DIR", Path.Combine(decoy.Work, ".git"));
            System.Environment.SetEnvironmentVariable("GIT_INDEX_FILE", Path.Combine(decoy.Work, ".git", "index"));
            checkpoint = store.Take([t.Work], long.MaxValue);
            File.WriteAllText(t.P("real.txt"), "changed\n");
            checkpoint = store.MarkAfterRun(checkpoint);
            store.Undo(checkpoint);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("GIT_DIR", saved.Item1);
            System.Environment.SetEnvironmentVariable("GIT_INDEX_FILE", saved.Item2);
        }

        Assert.Equal(t.Work, checkpoint.Details[0].Repository);
        Assert.Equal("real\n", t.Read("real.txt"));
        Assert.Equal(decoyRefs, decoy.Git("for-each-ref"));
        Assert.False(File.Exists(Path.Combine(decoy.Work, ".git", "index")));
        Assert.Empty(t.Git("for-each-ref").Trim());
        Assert.Contains("refs/checkpoints/", t.CheckpointGit("for-each-ref"));
    }
}
