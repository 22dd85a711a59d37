using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Engine.Tests.Rollback;

public class CheckpointStoreTests
{
    private const long Cap = 100L * 1024 * 1024;

    [Fact]
    public void ALaterSessionFindsTheCheckpointByAuditIdAndUndoesIt()
    {
        using var t = new RollbackSandbox(git: true);
        t.Write("kept.txt", "kept\n");
        var taken = t.Store.Take([t.Work], Cap, auditId: "run-42");
        File.WriteAllText(t.P("kept.txt"), "changed\n");
        t.Store.MarkAfterRun(taken);

        var later = new CheckpointStore(t.StoreDirectory);
        var found = later.Find("run-42");

        Assert.NotNull(found);
        Assert.Equal(taken.Id, found.Id);
        Assert.Equal(CheckpointKind.Git, found.Kind);
        Assert.Equal([t.Work], found.Roots);
        Assert.Equal(5, found.SizeBytes);
        Assert.NotNull(found.AfterRun);
        Assert.NotNull(found.Details[0].AfterCommit);
        Assert.Equal(taken.Id, later.Find(taken.Id)!.Id);
        Assert.Null(later.Find("no-such-id"));

        var result = later.Undo(found);
        Assert.Equal("run-42", result.AuditId);
        Assert.Equal("kept\n", t.Read("kept.txt"));
    }

    [Fact]
    public void ListIsNewestFirstAndPruneDeletesOldRefsFoldersAndObjects()
    {
        using var t = new RollbackSandbox(git: true);
        t.Write("f.txt", "f\n");
        var first = t.Store.Take([t.Work], Cap, "one");
        var second = t.Store.Take([t.Work], Cap, "two");
        Assert.Equal([second.Id, first.Id], t.Store.List().Select(c => c.Id));
        Assert.Equal(2, t.CheckpointGit("for-each-ref", "refs/checkpoints/").Trim().Split('\n').Length);
        Assert.Empty(t.Git("for-each-ref").Trim());

        Assert.Empty(t.Store.Prune(TimeSpan.FromDays(7)));
        var pruned = t.Store.Prune(TimeSpan.FromDays(7), DateTimeOffset.UtcNow.AddDays(8));

        Assert.Equal(2, pruned.Count);
        Assert.Empty(t.Store.List());
        Assert.Empty(t.CheckpointGit("for-each-ref").Trim());
        Assert.Equal(["git"], Directory.EnumerateDirectories(t.StoreDirectory).Select(Path.GetFileName));
        Assert.Throws<CheckpointException>(() => t.Store.Undo(first));
    }

    [Fact]
    public void RootsAreRecordedEachTheirOwnWayAndMissingOnesAreExplained()
    {
        using var t = new RollbackSandbox(git: true);
        t.Write("in-repo.txt", "r\n");
        var plain = t.Outside("plain");
        Directory.CreateDirectory(plain);
        File.WriteAllText(Path.Combine(plain, "p.txt"), "p\n");
        var missing = t.Outside("missing");

        var checkpoint = t.Store.Take([t.Work, plain, missing], Cap);

        Assert.True(checkpoint.Taken);
        Assert.Equal(CheckpointKind.Mixed, checkpoint.Kind);
        Assert.Equal([CheckpointKind.Git, CheckpointKind.Copy, CheckpointKind.None], checkpoint.Details.Select(d => d.Kind));
        Assert.Contains("does not exist", checkpoint.Reason);

        File.WriteAllText(t.P("in-repo.txt"), "x\n");
        File.WriteAllText(Path.Combine(plain, "p.txt"), "x\n");
        var result = t.Store.Undo(t.Store.MarkAfterRun(checkpoint));

        Assert.Equal([t.P("in-repo.txt"), Path.Combine(plain, "p.txt")], result.Restored);
        Assert.Contains(result.Notes, n => n.StartsWith(missing, StringComparison.Ordinal));
    }

    [Fact]
    public void AFolderIgnoredByItsRepositoryIsCopiedInstead()
    {
        using var t = new RollbackSandbox(git: true);
        t.Write(".gitignore", "scratch/\n");
        t.Write("scratch/s.txt", "s\n");

        var checkpoint = t.Store.Take([t.P("scratch")], Cap);

        Assert.True(checkpoint.Taken, checkpoint.Reason);
        Assert.Equal(CheckpointKind.Copy, checkpoint.Kind);
        File.WriteAllText(t.P("scratch/s.txt"), "x\n");
        t.Store.Undo(t.Store.MarkAfterRun(checkpoint));
        Assert.Equal("s\n", t.Read("scratch/s.txt"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AStoreInsideTheRootIsNeitherRecordedNorUndone(bool git)
    {
        using var t = new RollbackSandbox(git);
        t.Write("f.txt", "f\n");
        var store = new CheckpointStore(t.P(".codex/checkpoints"));
        var before = t.Listing();

        var checkpoint = store.Take([t.Work], long.MaxValue, "inside");
        Assert.Equal(git ? CheckpointKind.Git : CheckpointKind.Copy, checkpoint.Kind);
        Assert.Equal(1, checkpoint.Details[0].FileCount);
        File.WriteAllText(t.P("f.txt"), "changed\n");
        checkpoint = store.MarkAfterRun(checkpoint);
        var result = store.Undo(checkpoint);

        Assert.Equal([t.P("f.txt")], result.Restored);
        Assert.Empty(result.Deleted);
        Assert.Equal("f\n", t.Read("f.txt"));
        Assert.Equal(checkpoint.Id, store.Find("inside")!.Id);
        Assert.Equal(before.Keys.Where(k => !k.StartsWith(".codex", StringComparison.Ordinal)), t.Listing().Keys.Where(k => !k.StartsWith(".codex", StringComparison.Ordinal)));
    }

    [Fact]
    public void ARootInsideAnotherRootIsCoveredByTheOuterOne()
    {
        using var t = new RollbackSandbox(git: true);
        t.Write("sub/s.txt", "s\n");

        var checkpoint = t.Store.Take([t.Work, t.P("sub"), t.P("sub") + "/"], long.MaxValue);

        Assert.Equal([t.Work], checkpoint.Roots);
        File.WriteAllText(t.P("sub/s.txt"), "x\n");
        var result = t.Store.Undo(t.Store.MarkAfterRun(checkpoint));
        Assert.Equal([t.P("sub/s.txt")], result.Restored);
        Assert.Empty(result.Conflicts);
    }
}
