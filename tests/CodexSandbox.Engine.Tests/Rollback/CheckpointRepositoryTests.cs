using System.Text.Json;
using System.Text.Json.Nodes;
using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Engine.Tests.Rollback;

/// <summary>Git checkpoints live in the store's own repository: the user's repository never sees them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CheckpointRepositoryTests
{
    private const long Cap = 100L * 1024 * 1024;

    private static RollbackSandbox CommittedRepo()
    {
        var t = new RollbackSandbox(git: true);
        t.Write("README.md", "readme\n");
        t.Write("src/app.cs", "class App {}\n");
        t.Write("src/deep/data.bin", Enumerable.Range(0, 5000).Select(i => (byte)(i * 13 % 256)).ToArray());
        t.Git("add", "-A");
        t.Git("commit", "-q", "-m", "first");
        t.Write("README.md", "readme, stashed\n");
        t.Git("stash", "-q");
        t.Git("branch", "feature");
        t.Write("staged.txt", "staged\n");
        t.Git("add", "staged.txt");
        t.Write("untracked.txt", "untracked\n");
        return t;
    }

    [Fact]
    public void TakingMarkingUndoingAndPruningLeaveTheUsersGitFolderByteForByteAsItWas()
    {
        using var t = CommittedRepo();
        var folder = t.GitFolder();
        var state = t.GitState();

        var checkpoint = t.Store.Take([t.Work], Cap, "audit");
        t.Sh("rm -rf src && echo x > new && echo changed > README.md");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        t.Store.Undo(checkpoint, dryRun: true);
        var result = t.Store.Undo(checkpoint);
        Assert.Equal(UndoStatus.Undone, result.Status);
        Assert.Equal("class App {}\n", t.Read("src/app.cs"));
        t.Store.Prune(TimeSpan.Zero, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(state, t.GitState());
        Assert.Equal(folder, t.GitFolder());
        Assert.DoesNotContain(t.Git("for-each-ref").Split('\n'), l => l.Contains("checkpoint", StringComparison.Ordinal) || l.Contains("codex", StringComparison.Ordinal));
    }

    [Fact]
    public void UndoStillRestoresAfterTheUserDropsHistoryAndRunsGcPruneNow()
    {
        using var t = CommittedRepo();
        var before = t.Listing();
        var blob = t.Git("rev-parse", "HEAD:src/deep/data.bin").Trim();
        var checkpoint = t.Store.Take([t.Work], Cap);
        t.Sh("rm -rf src && echo x > new");
        checkpoint = t.Store.MarkAfterRun(checkpoint);

        // The user throws away every ref, the stash, the reflogs and the index, then prunes: the committed blobs are gone.
        t.Git("stash", "clear");
        t.Git("checkout", "-q", "--orphan", "empty");
        t.Git("read-tree", "--empty");
        t.Git("branch", "-D", "main", "feature");
        t.Git("reflog", "expire", "--expire=now", "--all");
        t.Git("gc", "-q", "--prune=now");
        Assert.Throws<InvalidOperationException>(() => t.Git("cat-file", "-e", blob));

        var result = t.Store.Undo(checkpoint);

        Assert.Equal(UndoStatus.Undone, result.Status);
        Assert.Empty(result.Conflicts);
        Assert.Equal(before, t.Listing());
    }

    [Fact]
    public void ACheckpointRecordedByAnEarlierVersionInTheUsersRepositoryIsStillUndoneAndPruned()
    {
        using var t = CommittedRepo();
        var checkpoint = t.Store.Take([t.Work], Cap);
        File.WriteAllText(t.P("src/app.cs"), "changed\n");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        // What earlier versions wrote: the commits under refs/codex-sandbox/<id> in the user's repository, no checkpoint repository.
        var legacyRef = "refs/codex-sandbox/" + checkpoint.Id;
        t.Git("fetch", "-q", Path.Combine(t.StoreDirectory, "git", "sha1.git"), $"refs/checkpoints/{checkpoint.Id}/0:{legacyRef}");
        var file = Path.Combine(t.StoreDirectory, checkpoint.Id, "checkpoint.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        json["Details"]![0]!["Ref"] = legacyRef;
        json["Details"]![0]!.AsObject().Remove("CheckpointRepository");
        File.WriteAllText(file, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        t.CheckpointGit("update-ref", "-d", $"refs/checkpoints/{checkpoint.Id}/0");
        t.CheckpointGit("gc", "-q", "--prune=now");

        var legacy = t.Store.Find(checkpoint.Id)!;
        Assert.Null(legacy.Details[0].CheckpointRepository);
        var result = t.Store.Undo(legacy);

        Assert.Equal([t.P("src/app.cs")], result.Restored);
        Assert.Equal("class App {}\n", t.Read("src/app.cs"));
        t.Store.Delete(legacy);
        Assert.Empty(t.Git("for-each-ref", "refs/codex-sandbox/").Trim());
    }

    [Fact]
    public void TheUsersGitConfigRunsNoHookFsmonitorOrSigningProgramOnCheckpointCalls()
    {
        using var t = CommittedRepo();
        var marker = t.Outside("ran");
        var script = t.Outside("touch-marker.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\nexit 1\n");
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("755", 8));
        var hooks = Directory.CreateDirectory(t.Outside("hooks")).FullName;
        foreach (var hook in new[] { "pre-commit", "post-commit", "post-checkout", "reference-transaction", "post-index-change", "pre-auto-gc" })
        {
            File.Copy(script, Path.Combine(hooks, hook));
        }
        t.Git("config", "core.hooksPath", hooks);
        t.Git("config", "core.fsmonitor", script);
        t.Git("config", "commit.gpgSign", "true");
        t.Git("config", "gpg.program", script);

        var checkpoint = t.Store.Take([t.Work], Cap);
        File.WriteAllText(t.P("src/app.cs"), "changed\n");
        checkpoint = t.Store.MarkAfterRun(checkpoint);
        var result = t.Store.Undo(checkpoint);
        t.Store.Prune(TimeSpan.Zero, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal([t.P("src/app.cs")], result.Restored);
        Assert.False(File.Exists(marker), File.Exists(marker) ? File.ReadAllText(marker) : null);
    }

    [Fact]
    public void ARepositoryWhosePathHoldsAColonIsBorrowedFromCorrectly()
    {
        using var t = new RollbackSandbox(git: false);
        var work = Directory.CreateDirectory(t.Outside("odd:name \"quoted\"")).FullName;
        RollbackSandbox.Run(work, "git", "init", "-q");
        File.WriteAllText(Path.Combine(work, "a.txt"), "a\n");
        RollbackSandbox.Run(work, "git", "add", "a.txt");
        RollbackSandbox.Run(work, "git", "-c", "user.name=u", "-c", "user.email=u@example.com", "commit", "-q", "-m", "a");

        var checkpoint = t.Store.Take([work], Cap);
        Assert.Equal(CheckpointKind.Git, checkpoint.Kind);
        File.WriteAllText(Path.Combine(work, "a.txt"), "b\n");
        t.Store.Undo(t.Store.MarkAfterRun(checkpoint));

        Assert.Equal("a\n", File.ReadAllText(Path.Combine(work, "a.txt")));
    }

    [Fact]
    public void ASha256RepositoryGetsACheckpointRepositoryOfItsOwnFormat()
    {
        using var t = new RollbackSandbox(git: false);
        RollbackSandbox.Run(t.Work, "git", "init", "-q", "--object-format=sha256");
        t.Write("a.txt", "a\n");
        RollbackSandbox.Run(t.Work, "git", "add", "a.txt");
        RollbackSandbox.Run(t.Work, "git", "-c", "user.name=u", "-c", "user.email=u@example.com", "commit", "-q", "-m", "a");

        var checkpoint = t.Store.Take([t.Work], Cap);
        Assert.Equal(Path.Combine(t.StoreDirectory, "git", "sha256.git"), checkpoint.Details[0].CheckpointRepository);
        Assert.Equal(64, checkpoint.Details[0].Commit!.Length);
        t.Write("a.txt", "changed\n");
        t.Write("b.txt", "new\n");
        var result = t.Store.Undo(t.Store.MarkAfterRun(checkpoint));

        Assert.Equal(UndoStatus.Undone, result.Status);
        Assert.Equal("a\n", t.Read("a.txt"));
        Assert.False(File.Exists(t.P("b.txt")));
    }
}
