using System.Diagnostics;
using CodexSandbox.Engine.Audit;
using Xunit.Abstractions;

namespace CodexSandbox.Engine.Tests.Audit;

public class AuditQueryTests(ITestOutputHelper output)
{
    private static AuditTestLog Story()
    {
        var log = new AuditTestLog();
        var l = log.Log;
        l.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Argv = ["ls", "-la"], Decision = "Allow", DecisionSource = "Policy", ExitCode = 0 });
        l.Append(new AuditEntry { EventType = AuditEventType.CommandBlocked, Argv = ["rm", "-rf", "/"], Decision = "Forbidden", Rule = "dangerous:rm-rf", Reason = "deletes everything" });
        var asked = l.Append(new AuditEntry { EventType = AuditEventType.ApprovalRequested, Argv = ["git", "push"], Decision = "Prompt" });
        l.Append(new AuditEntry { EventType = AuditEventType.ApprovalGranted, Argv = ["git", "push"], Decision = "Approved", DecisionSource = "User", RelatedId = asked.Id });
        l.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Argv = ["git", "push"], Decision = "Allow", DecisionSource = "User", ExitCode = 1 });
        l.Append(new AuditEntry { EventType = AuditEventType.ApprovalDenied, Argv = ["curl", "x"], Decision = "Denied", DecisionSource = "User" });
        return log;
    }

    private static List<AuditRecord> Q(AuditTestLog log, AuditQuery q) => AuditReader.Query(log.LogPath, q).ToList();

    [Fact]
    public void FiltersByEventDecisionCommandAndId()
    {
        using var log = Story();
        Assert.Equal([2L], Q(log, new AuditQuery { EventTypes = [AuditEventType.CommandBlocked] }).Select(r => r.Seq));
        Assert.Equal([3L, 4L], Q(log, new AuditQuery { EventTypes = [AuditEventType.ApprovalRequested, AuditEventType.ApprovalGranted] }).Select(r => r.Seq));
        Assert.Equal([1L, 5L], Q(log, new AuditQuery { Decisions = ["allow"] }).Select(r => r.Seq));
        Assert.Equal([3L, 4L, 5L], Q(log, new AuditQuery { Commands = ["git *"] }).Select(r => r.Seq));
        Assert.Equal([2L, 6L], Q(log, new AuditQuery { Commands = ["rm*", "CURL ?"] }).Select(r => r.Seq));
        Assert.Equal([5L], Q(log, new AuditQuery { Commands = ["git *"], EventTypes = [AuditEventType.CommandExecuted] }).Select(r => r.Seq));
        var granted = Q(log, new AuditQuery { EventTypes = [AuditEventType.ApprovalGranted] }).Single();
        Assert.Equal(granted.Id, Q(log, new AuditQuery { Ids = [granted.Id] }).Single().Id);
        Assert.Equal(granted.Id, Q(log, new AuditQuery { Ids = [granted.Id[..8] + "*"] }).Single().Id);
        Assert.Equal(3, Q(log, new AuditQuery { Ids = [granted.RelatedId!] }).Single().Seq);
    }

    [Fact]
    public void FiltersByTime()
    {
        using var log = new AuditTestLog();
        log.Run("a");
        Thread.Sleep(30);
        var middle = DateTimeOffset.UtcNow;
        Thread.Sleep(30);
        log.Run("b");
        log.Run("c");
        Assert.Equal(["b", "c"], Q(log, new AuditQuery { Since = middle }).Select(r => r.Argv[0]));
        Assert.Equal(["a"], Q(log, new AuditQuery { Until = middle }).Select(r => r.Argv[0]));
    }

    [Fact]
    public void CorruptLinesAreReportedWithFileAndLineAndSkipped()
    {
        using var log = new AuditTestLog();
        log.Run("a");
        File.AppendAllText(log.LogPath, "this is garbage\n{\"id\":\"x\",\"seq\":\n");
        log.Run("b");
        var warnings = new List<ConfigDiagnostic>();
        var records = log.All(warnings);
        Assert.Equal(["a", "b"], records.Select(r => r.Argv[0]));
        Assert.Equal(4, records[1].Line);
        Assert.Equal([2, 3], warnings.Select(w => w.Line));
        Assert.All(warnings, w => Assert.Equal(log.LogPath, w.Path));
        Assert.All(warnings, w => Assert.Equal("CorruptAuditRecord", w.Id));

        var lastWarnings = new List<ConfigDiagnostic>();
        var last = AuditReader.Query(log.LogPath, new AuditQuery { Last = 5 }, lastWarnings.Add).ToList();
        Assert.Equal(["a", "b"], last.Select(r => r.Argv[0]));
        Assert.Equal([1, 4], last.Select(r => r.Line));
        Assert.Equal([2, 3], lastWarnings.Select(w => w.Line).Order());
    }

    [Fact]
    public void MissingLogIsEmptyAndAFileInPlaceOfTheDirectoryIsAClearError()
    {
        using var log = new AuditTestLog();
        Assert.Empty(log.All());
        Assert.True(AuditReader.Verify(log.LogPath).Intact);

        Directory.CreateDirectory(log.Directory);
        var file = Path.Combine(log.Directory, "not-a-dir");
        File.WriteAllText(file, "");
        var broken = new AuditLog(new AuditSettings { Path = Path.Combine(file, "sandbox-audit.jsonl") });
        var error = Assert.Throws<AuditLogException>(() => broken.Append(new AuditEntry { EventType = AuditEventType.ConfigError }));
        Assert.Contains("not-a-dir", error.Message);
        var readError = Assert.Throws<AuditLogException>(() => AuditReader.Query(Path.Combine(file, "sandbox-audit.jsonl"), new AuditQuery()).ToList());
        Assert.Contains("not a directory", readError.Message);
        Assert.Throws<AuditLogException>(() => AuditReader.Verify(Path.Combine(file, "sandbox-audit.jsonl")));
    }

    [Fact]
    public void LastReadsFromTheEndOfALargeLogAndAcrossRotatedFiles()
    {
        using var log = new AuditTestLog(maxFileBytes: 4L * 1024 * 1024);
        for (var i = 1; i <= 30_000; i++)
            log.Log.Append(new AuditEntry { EventType = i % 10 == 0 ? AuditEventType.CommandBlocked : AuditEventType.CommandExecuted, Argv = ["/bin/echo", "n" + i] });
        var files = new AuditFiles(log.LogPath);
        Assert.NotEmpty(files.Rotated());
        Assert.True(new FileInfo(log.LogPath).Length > 0);

        var clock = Stopwatch.StartNew();
        var last = AuditReader.Query(log.LogPath, new AuditQuery { Last = 20 }).ToList();
        var lastTime = clock.Elapsed;
        Assert.Equal(Enumerable.Range(29_981, 20).Select(i => (long)i), last.Select(r => r.Seq));
        var lines = File.ReadAllLines(log.LogPath);
        Assert.Equal(lines.Length, last[^1].Line);
        Assert.Equal(lines.Length - 19, last[0].Line);
        Assert.Contains(last[0].Id, lines[last[0].Line - 1]);
        Assert.Equal("n30000", last[^1].Argv[1]);

        // The last 20 blocked ones reach back into a rotated file.
        var blocked = AuditReader.Query(log.LogPath, new AuditQuery { Last = 2_000, EventTypes = [AuditEventType.CommandBlocked] }).ToList();
        Assert.Equal(2_000, blocked.Count);
        Assert.Equal(10L * 1_001, blocked[0].Seq);
        Assert.All(blocked, r => Assert.Equal(AuditEventType.CommandBlocked, r.EventType));
        var first = blocked[0];
        Assert.Contains(first.Id, File.ReadAllLines(first.File!)[first.Line - 1]);

        clock.Restart();
        var all = AuditReader.Query(log.LogPath, new AuditQuery()).Count();
        var fullTime = clock.Elapsed;
        Assert.Equal(30_000, all);
        output.WriteLine($"-Last 20: {lastTime.TotalMilliseconds:0.0} ms; full scan of 30,000: {fullTime.TotalMilliseconds:0.0} ms");
        Assert.True(lastTime < fullTime, $"-Last 20 took {lastTime}, a full scan {fullTime}");
    }

    [Fact]
    public void ProgressIsReportedUpToOneHundred()
    {
        using var log = new AuditTestLog();
        for (var i = 0; i < 50; i++) log.Run("x");
        var progress = new List<int>();
        _ = AuditReader.Query(log.LogPath, new AuditQuery(), null, progress.Add).Count();
        Assert.Equal(100, progress[^1]);
        Assert.Equal(progress.Order(), progress);
    }
}
