using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Engine.Tests.Rollback;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CopyRollbackTests
{
    private const long Cap = 100L * 1024 * 1024;

    private static RollbackSandbox Folder()
    {
        var t = new RollbackSandbox(git: false);
        t.Write("a.txt", "a\n");
        t.Write("b.txt", "b\n");
        t.Write("bin/tool", [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 0, 1]);
        File.SetUnixFileMode(t.P("bin/tool"), (UnixFileMode)Convert.ToInt32("750", 8));
        t.Write("docs/deep/nested/page.md", "# page\n");
        t.Write("empty.txt", "");
        Directory.CreateDirectory(t.P("empty-dir"));
        File.CreateSymbolicLink(t.P("link-to-a"), "a.txt");
        return t;
    }

    [Fact]
    public void APlainFolderUnderTheCapIsCopiedAndRestoredExactly()
    {
        using var t = Folder();
        var outside = t.Outside("victim.txt");
        File.WriteAllText(outside, "outside\n");
        var before = t.Listing();

        var checkpoint = t.Store.Take([t.Work], Cap, "audit-copy");
        Assert.Equal(CheckpointKind.Copy, checkpoint.Kind);
        Assert.Equal(6, checkpoint.Details[0].FileCount);
        Assert.Equal(4 + 7 + 7, checkpoint.SizeBytes);

        t.Sh("rm -rf docs empty-dir && echo changed > a.txt && chmod 644 bin/tool && mkdir -p new/one/two && echo n > 'new/one/two/odd name\n.txt' && rm link-to-a && ln -s /etc link-to-a");
        File.Delete(t.P("b.txt"));
        File.CreateSymbolicLink(t.P("b.txt"), outside);
        checkpoint = t.Store.MarkAfterRun(checkpoint);

        var dry = t.Store.Undo(checkpoint, dryRun: true);
        Assert.Equal(new[] { "a.txt", "b.txt", "bin/tool", "link-to-a" }.Select(t.P), dry.Restored.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "docs/deep/nested/page.md" }.Select(t.P), dry.Recreated);
        Assert.Equal(new[] { "new/one/two/odd name\n.txt" }.Select(t.P), dry.Deleted);
        Assert.True(File.Exists(t.P("new/one/two/odd name\n.txt")));

        var result = t.Store.Undo(checkpoint);

        Assert.Empty(result.Conflicts);
        Assert.Equal(before, t.Listing());
        Assert.Equal("outside\n", File.ReadAllText(outside));
    }

    [Fact]
    public void AFolderOverTheCapGetsNoCheckpointAndTheReason()
    {
        using var t = new RollbackSandbox(git: false);
        t.Write("big.bin", new byte[3 * 1024 * 1024]);

        var checkpoint = t.Store.Take([t.Work], 2L * 1024 * 1024);

        Assert.False(checkpoint.Taken);
        Assert.Equal(CheckpointKind.None, checkpoint.Kind);
        Assert.Contains("max_snapshot_mb", checkpoint.Reason);
        Assert.Contains("3 MB", checkpoint.Reason);
        Assert.Empty(t.Store.List());
        Assert.Empty(Directory.EnumerateDirectories(t.StoreDirectory));
        Assert.Contains(t.Store.Undo(checkpoint).Notes, n => n.Contains("no checkpoint was taken"));
    }

    [Fact]
    public void ChangesMadeAfterTheRunAreConflictsLeftAloneUnlessForced()
    {
        using var t = Folder();
        var checkpoint = t.Store.Take([t.Work], Cap);
        File.WriteAllText(t.P("a.txt"), "run\n");
        File.WriteAllText(t.P("b.txt"), "run\n");
        File.WriteAllText(t.P("created.txt"), "run\n");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        File.WriteAllText(t.P("a.txt"), "someone else\n");
        File.WriteAllText(t.P("created.txt"), "edited later\n");
        File.WriteAllText(t.P("unrelated.txt"), "made after the run, not by it\n");

        var result = t.Store.Undo(checkpoint);

        Assert.Equal(2, result.Conflicts.Count);
        Assert.Contains(result.Conflicts, c => c.StartsWith(t.P("a.txt") + ":", StringComparison.Ordinal));
        Assert.Contains(result.Conflicts, c => c.StartsWith(t.P("created.txt") + ":", StringComparison.Ordinal));
        Assert.Equal([t.P("b.txt")], result.Restored);
        Assert.Equal("someone else\n", t.Read("a.txt"));
        Assert.Equal("b\n", t.Read("b.txt"));
        Assert.Equal("edited later\n", t.Read("created.txt"));
        Assert.True(File.Exists(t.P("unrelated.txt")));

        var forced = t.Store.Undo(checkpoint, force: true);
        Assert.Empty(forced.Conflicts);
        Assert.Equal("a\n", t.Read("a.txt"));
        Assert.False(File.Exists(t.P("created.txt")));
        Assert.True(File.Exists(t.P("unrelated.txt")));
    }
}
