using System.Text;
using System.Text.Json;
using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Tests.Audit;

public class AuditChainTests
{
    private static AuditTestLog LogWith(int records)
    {
        var log = new AuditTestLog();
        for (var i = 1; i <= records; i++) log.Run("/bin/echo", "record", i.ToString());
        return log;
    }

    [Fact]
    public void AppendReturnsTheRecordAsReadBack()
    {
        using var log = new AuditTestLog();
        var written = log.Log.Append(new AuditEntry
        {
            EventType = AuditEventType.CommandExecuted,
            Argv = ["/usr/bin/git", "status"],
            WorkingDirectory = "/repo",
            SandboxMode = SandboxMode.ReadOnly,
            NetworkAccess = NetworkMode.Allowlist,
            WritableRoots = ["/repo", "/tmp"],
            Backend = "Linux",
            Enforcement = ["Landlock", "Seccomp"],
            ExitCode = 3,
            Duration = TimeSpan.FromTicks(12_345_678),
            TimedOut = true,
            StdoutBytes = 10,
            StderrBytes = 20,
            Stdout = "not recorded by default",
            Decision = "Allow",
            DecisionSource = "Policy",
            RelatedId = "abc",
            Details = new Dictionary<string, string> { ["k"] = "v" },
        });
        Assert.Equal(1, written.Seq);
        Assert.Equal(new string('0', 64), written.PreviousHash);
        Assert.Equal(32, written.Id.Length);
        Assert.Equal(TimeSpan.Zero, written.Time.Offset);

        var read = Assert.Single(log.All());
        Assert.Equal(written.Id, read.Id);
        Assert.Equal(written.Hash, read.Hash);
        Assert.Equal(written.Time, read.Time);
        Assert.Equal(["/usr/bin/git", "status"], read.Argv);
        Assert.Equal("/usr/bin/git status", read.Command);
        Assert.Equal(SandboxMode.ReadOnly, read.SandboxMode);
        Assert.Equal(NetworkMode.Allowlist, read.NetworkAccess);
        Assert.Equal(["/repo", "/tmp"], read.WritableRoots);
        Assert.Equal(["Landlock", "Seccomp"], read.Enforcement);
        Assert.Equal(3, read.ExitCode);
        Assert.Equal(TimeSpan.FromTicks(12_345_678), read.Duration);
        Assert.True(read.TimedOut);
        Assert.Equal(10, read.StdoutBytes);
        Assert.Equal(20, read.StderrBytes);
        Assert.Null(read.Stdout); // record_output is off
        Assert.Equal(System.Environment.ProcessId, read.ProcessId);
        Assert.Equal(System.Environment.UserName, read.User);
        Assert.Equal(System.Environment.MachineName, read.Host);
        Assert.False(string.IsNullOrEmpty(read.ModuleVersion));
        Assert.Equal("v", read.Details!["k"]);
        Assert.Equal(log.LogPath, read.File);
        Assert.Equal(1, read.Line);
    }

    [Fact]
    public void FsyncModeWritesTheSameChain()
    {
        using var log = new AuditTestLog();
        var synced = new AuditLog(new AuditSettings { Path = log.LogPath, Fsync = true });
        synced.Append(new AuditEntry { EventType = AuditEventType.ConfigError, Reason = "bad key" });
        log.Run("/bin/true");
        synced.Append(new AuditEntry { EventType = AuditEventType.SandboxUnavailable, Reason = "no bwrap" });
        Assert.Equal([1L, 2L, 3L], log.All().Select(r => r.Seq));
        Assert.True(AuditReader.Verify(log.LogPath).Intact);
    }

    [Fact]
    public void OpenSharesOneWriterPerPathAndSettings()
    {
        using var log = new AuditTestLog();
        var a = AuditLog.Open(log.Settings);
        Assert.Same(a, AuditLog.Open(new AuditSettings { Path = log.LogPath, RetentionDays = log.Settings.RetentionDays }));
        Assert.NotSame(a, AuditLog.Open(new AuditSettings { Path = log.LogPath, RetentionDays = log.Settings.RetentionDays, Fsync = true }));
        Assert.Equal(log.LogPath, a.FilePath);
        Assert.Equal(Path.Combine("/home/u/.codex", "log", "sandbox-audit.jsonl"), AuditLog.DefaultPath("/home/u/.codex"));
    }

    // Open and CloseShared act on the process-wide instances: these tests stay in this class, which runs its tests one at a time.
    [Fact]
    public void OpeningAnotherSharedLogClosesTheFilesOfTheOthers()
    {
        using var first = new AuditTestLog();
        using var second = new AuditTestLog();
        var a = AuditLog.Open(first.Settings);
        a.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Argv = ["/bin/true"] });
        Assert.True(a.HoldsFile);

        var b = AuditLog.Open(second.Settings);
        Assert.False(a.HoldsFile);
        b.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Argv = ["/bin/true"] });
        Assert.True(b.HoldsFile);

        // A closed instance still works: it reopens its file and continues the chain.
        a.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Argv = ["/bin/false"] });
        Assert.Equal([1L, 2L], first.All().Select(r => r.Seq));
        Assert.True(AuditReader.Verify(first.LogPath).Intact);
    }

    [Fact]
    public void CloseSharedClosesAndForgetsEverySharedLog()
    {
        using var log = new AuditTestLog();
        var shared = AuditLog.Open(log.Settings);
        shared.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Argv = ["/bin/true"] });
        Assert.True(shared.HoldsFile);

        AuditLog.CloseShared();
        Assert.False(shared.HoldsFile);
        Assert.NotSame(shared, AuditLog.Open(log.Settings));
        AuditLog.CloseShared();
    }

    [Fact]
    public void PresetIdsLinkAnApprovalToItsRun()
    {
        using var log = new AuditTestLog();
        var runId = AuditLog.NewId();
        log.Log.Append(new AuditEntry { EventType = AuditEventType.ApprovalGranted, DecisionSource = "Force", RelatedId = runId, User = "alice", Host = "box" });
        log.Log.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Id = runId, Argv = ["make"] });
        var records = log.All();
        Assert.Equal(runId, records[1].Id);
        Assert.Equal(runId, records[0].RelatedId);
        Assert.Equal("alice", records[0].User);
        Assert.Equal("box", records[0].Host);
    }

    [Fact]
    public void OutputIsRecordedOnlyWhenConfigured()
    {
        using var log = new AuditTestLog(recordOutput: true);
        log.Log.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Argv = ["x"], Stdout = "hello\nworld", Stderr = "token sk-abcdefghijklmnopqrstuvwx" });
        var read = Assert.Single(log.All());
        Assert.Equal("hello\nworld", read.Stdout);
        Assert.Equal("token [REDACTED]", read.Stderr);
    }

    [Fact]
    public void EachLineIsOneJsonObjectEndingInItsHash()
    {
        using var log = LogWith(3);
        var lines = File.ReadAllLines(log.LogPath);
        Assert.Equal(3, lines.Length);
        string? previous = null;
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var hash = root.GetProperty("hash").GetString()!;
            var body = line[..line.LastIndexOf(",\"hash\":\"", StringComparison.Ordinal)];
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body))), hash);
            if (previous is not null) Assert.Equal(previous, root.GetProperty("prev").GetString());
            previous = hash;
        }
        Assert.True(AuditReader.Verify(log.LogPath).Intact);
    }

    [Fact]
    public void EditingOneByteOfAnOldRecordIsReportedAtThatLine()
    {
        using var log = LogWith(10);
        var bytes = File.ReadAllBytes(log.LogPath);
        var lines = File.ReadAllLines(log.LogPath);
        var start = lines.Take(3).Sum(l => l.Length + 1); // line 4
        var target = lines[3].IndexOf("record", StringComparison.Ordinal);
        bytes[start + target] = (byte)'R';
        File.WriteAllBytes(log.LogPath, bytes);

        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(log.LogPath, result.FirstBadFile);
        Assert.Equal(4, result.FirstBadLine);
        Assert.Equal(JsonDocument.Parse(lines[3]).RootElement.GetProperty("id").GetString(), result.FirstBadId);
        Assert.Contains("altered", result.Problem);
        Assert.Equal(3, result.RecordsChecked);
    }

    [Fact]
    public void EditingTheStoredHashIsReported()
    {
        using var log = LogWith(5);
        var lines = File.ReadAllLines(log.LogPath);
        var l = lines[1].ToCharArray();
        l[^3] = l[^3] == 'a' ? 'b' : 'a';
        lines[1] = new string(l);
        File.WriteAllLines(log.LogPath, lines);
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBadLine);
    }

    [Fact]
    public void DeletingALineIsReportedWhereTheGapIs()
    {
        using var log = LogWith(10);
        var lines = File.ReadAllLines(log.LogPath).ToList();
        lines.RemoveAt(5); // seq 6
        File.WriteAllLines(log.LogPath, lines);
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(6, result.FirstBadLine);
        Assert.Contains("removed", result.Problem);
    }

    [Fact]
    public void InsertingAForgedRecordNamesTheInsertedLine()
    {
        using var log = LogWith(6);
        var lines = File.ReadAllLines(log.LogPath).ToList();
        // A well-formed forgery: chained to line 3 and self-consistent, so only the next record's link betrays it.
        var forged = ForgeAfter(lines[2], seq: 4);
        lines.Insert(3, forged);
        File.WriteAllLines(log.LogPath, lines);
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadLine);
        Assert.Equal("forged", result.FirstBadId);
        Assert.Contains("inserted", result.Problem);
    }

    [Fact]
    public void InsertingGarbageIsReported()
    {
        using var log = LogWith(4);
        var lines = File.ReadAllLines(log.LogPath).ToList();
        lines.Insert(2, "{\"id\":\"x\"}");
        File.WriteAllLines(log.LogPath, lines);
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadLine);
    }

    [Fact]
    public void SwappingTwoRecordsIsReported()
    {
        using var log = LogWith(8);
        var lines = File.ReadAllLines(log.LogPath);
        (lines[4], lines[5]) = (lines[5], lines[4]);
        File.WriteAllLines(log.LogPath, lines);
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(5, result.FirstBadLine);
    }

    [Fact]
    public void CuttingRecordsOffTheEndIsReportedFromTheWriterHead()
    {
        using var log = LogWith(6);
        var lines = File.ReadAllLines(log.LogPath);
        File.WriteAllLines(log.LogPath, lines.Take(4));
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(5, result.FirstBadLine);
        Assert.Contains("seq 6", result.Problem);
    }

    [Fact]
    public void RemovingTheFirstRecordIsReported()
    {
        using var log = LogWith(3);
        var lines = File.ReadAllLines(log.LogPath);
        File.WriteAllLines(log.LogPath, lines.Skip(1));
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(1, result.FirstBadLine);
    }

    [Fact]
    public void AfterTamperingTheNextAppendStillChainsFromTheLastGoodRecordAndTheBreakStaysVisible()
    {
        using var log = LogWith(3);
        File.AppendAllText(log.LogPath, "garbage\n");
        var next = log.Run("/bin/true");
        Assert.Equal(4, next.Seq);
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadLine);
    }

    internal static string ForgeAfter(string previousLine, long seq)
    {
        var prev = JsonDocument.Parse(previousLine).RootElement.GetProperty("hash").GetString();
        var body = $"{{\"id\":\"forged\",\"seq\":{seq},\"time\":\"2026-01-01T00:00:00Z\",\"eventType\":\"CommandExecuted\",\"command\":\"evil\",\"pid\":1,\"prev\":\"{prev}\"";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        return body + ",\"hash\":\"" + hash + "\"}";
    }
}
