using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Engine.Tests.Rollback;

/// <summary>Undo is safe to repeat, says how far it got, and reports progress.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RepeatedUndoTests
{
    private const long Cap = 100L * 1024 * 1024;

    private static RollbackSandbox Tree(bool git)
    {
        var t = new RollbackSandbox(git);
        t.Write("a.txt", "a\n");
        t.Write("b.txt", "b\n");
        t.Write("gone.txt", "gone\n");
        if (git)
        {
            t.Git("add", "-A");
            t.Git("commit", "-q", "-m", "first");
        }
        return t;
    }

    private static void Run(RollbackSandbox t) => t.Sh("echo run > a.txt && echo run > b.txt && rm gone.txt && echo new > new.txt");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UndoingTwiceChangesNothingTheSecondTimeAndSaysSo(bool git)
    {
        using var t = Tree(git);
        var before = t.Listing();
        var checkpoint = t.Store.Take([t.Work], Cap, "audit");
        Run(t);
        checkpoint = t.Store.MarkAfterRun(checkpoint);

        var first = t.Store.Undo(checkpoint);
        Assert.Equal(UndoStatus.Undone, first.Status);
        Assert.Equal(4, first.Restored.Count + first.Deleted.Count + first.Recreated.Count);
        Assert.Equal(before, t.Listing());
        var stamp = File.GetLastWriteTimeUtc(t.P("a.txt"));
        var recorded = t.Store.Find("audit")!;
        Assert.NotNull(recorded.Undone);

        var dry = t.Store.Undo(recorded, dryRun: true);
        var second = t.Store.Undo(recorded);

        foreach (var again in new[] { dry, second })
        {
            Assert.Equal(UndoStatus.AlreadyUndone, again.Status);
            Assert.Empty(again.Conflicts);
            Assert.Empty(again.Restored);
            Assert.Empty(again.Deleted);
            Assert.Empty(again.Recreated);
        }
        Assert.Equal(before, t.Listing());
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(t.P("a.txt")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AConflictLeftAloneCanBeForcedLaterWithoutTheRestoredFilesCountingAsConflicts(bool git)
    {
        using var t = Tree(git);
        var checkpoint = t.Store.Take([t.Work], Cap);
        Run(t);
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        File.WriteAllText(t.P("a.txt"), "someone else\n");

        var first = t.Store.Undo(checkpoint);
        Assert.Equal(UndoStatus.PartlyUndone, first.Status);
        Assert.Equal([t.P("a.txt")], first.Conflicts.Select(c => c[..c.IndexOf(": ", StringComparison.Ordinal)]));

        var again = t.Store.Undo(checkpoint);
        Assert.Equal(UndoStatus.PartlyUndone, again.Status);
        Assert.Single(again.Conflicts);
        Assert.Empty(again.Restored.Concat(again.Deleted).Concat(again.Recreated));

        var forced = t.Store.Undo(checkpoint, force: true);
        Assert.Equal(UndoStatus.Undone, forced.Status);
        Assert.Equal([t.P("a.txt")], forced.Restored);
        Assert.Equal("a\n", t.Read("a.txt"));
        Assert.Equal(UndoStatus.AlreadyUndone, t.Store.Undo(checkpoint).Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WithoutAPostRunStateTheRecordOfTheFirstUndoTellsTheSecond(bool git)
    {
        using var t = Tree(git);
        var checkpoint = t.Store.Take([t.Work], Cap, "no-after");
        Run(t);

        Assert.Equal(UndoStatus.Undone, t.Store.Undo(checkpoint).Status);
        Assert.Equal(UndoStatus.AlreadyUndone, t.Store.Undo(t.Store.Find("no-after")!).Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ARunThatChangedNothingHasNothingToUndo(bool git)
    {
        using var t = Tree(git);
        var checkpoint = t.Store.MarkAfterRun(t.Store.Take([t.Work], Cap));

        var result = t.Store.Undo(checkpoint);

        Assert.Equal(UndoStatus.NothingToUndo, result.Status);
        Assert.Null(t.Store.Find(checkpoint.Id)!.Undone);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ProgressIsReportedWhileALargeTreeIsReadAndRestored(bool git)
    {
        using var t = new RollbackSandbox(git);
        for (var i = 0; i < 300; i++) t.Write($"d{i % 10}/f{i}.txt", $"file {i}\n");
        var checkpoint = t.Store.Take([t.Work], Cap);
        t.Sh("rm -rf d0 d1 d2 d3 d4 d5 && echo new > new.txt");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        var reports = new List<UndoProgress>();

        var result = t.Store.Undo(checkpoint, onProgress: reports.Add);

        Assert.Equal(180, result.Recreated.Count);
        Assert.Contains(reports, r => r.Status.StartsWith("Reading the current state of " + t.Work, StringComparison.Ordinal));
        var restoring = reports.Where(r => r.Status.StartsWith("Restoring " + t.Work, StringComparison.Ordinal)).ToList();
        Assert.True(restoring.Count >= 3, string.Join("\n", reports));
        Assert.Contains(restoring, r => r.PercentComplete is > 50 and < 100);
        Assert.Equal(reports.Select(r => r.PercentComplete).Order(), reports.Select(r => r.PercentComplete));
        Assert.All(reports, r => Assert.InRange(r.PercentComplete, 0, 100));
    }
}
