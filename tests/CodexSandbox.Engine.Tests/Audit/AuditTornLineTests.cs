using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Tests.Audit;

public class AuditTornLineTests
{
    private static void TearLastWrite(AuditTestLog log)
    {
        // What a writer killed mid-write leaves: the first half of a line, no newline, head not updated.
        var line = File.ReadAllLines(log.LogPath)[^1];
        File.AppendAllText(log.LogPath, line[..(line.Length / 2)]);
    }

    [Fact]
    public void ReaderSkipsATornLastLineWithAWarning()
    {
        using var log = new AuditTestLog();
        for (var i = 0; i < 3; i++) log.Run("/bin/echo", i.ToString());
        TearLastWrite(log);
        var warnings = new List<ConfigDiagnostic>();
        var records = log.All(warnings);
        Assert.Equal(3, records.Count);
        var warning = Assert.Single(warnings);
        Assert.Equal("TornAuditRecord", warning.Id);
        Assert.Equal(4, warning.Line);
        Assert.Equal(log.LogPath, warning.Path);

        // -Last reads from the end and meets the fragment first.
        var lastWarnings = new List<ConfigDiagnostic>();
        var last = AuditReader.Query(log.LogPath, new AuditQuery { Last = 2 }, lastWarnings.Add).ToList();
        Assert.Equal([2L, 3L], last.Select(r => r.Seq));
        Assert.Equal(4, Assert.Single(lastWarnings).Line);
    }

    [Fact]
    public void VerifyToleratesOnlyATornLastLineAndSaysSo()
    {
        using var log = new AuditTestLog();
        for (var i = 0; i < 3; i++) log.Run("/bin/echo", i.ToString());
        TearLastWrite(log);
        var result = AuditReader.Verify(log.LogPath);
        Assert.True(result.Intact, result.ToString());
        Assert.Contains("torn", Assert.Single(result.Warnings));
    }

    [Fact]
    public void NextAppendRemovesTheFragmentAndChainsFromTheLastCompleteRecord()
    {
        using var log = new AuditTestLog();
        AuditRecord? last = null;
        for (var i = 0; i < 3; i++) last = log.Run("/bin/echo", i.ToString());
        TearLastWrite(log);
        var next = log.Run("/bin/echo", "after");
        Assert.Equal(4, next.Seq);
        Assert.Equal(last!.Hash, next.PreviousHash);
        var warnings = new List<ConfigDiagnostic>();
        Assert.Equal(4, log.All(warnings).Count);
        Assert.Empty(warnings);
        var result = AuditReader.Verify(log.LogPath);
        Assert.True(result.Intact);
        Assert.Empty(result.Warnings);
        Assert.Equal(4, File.ReadAllLines(log.LogPath).Length);
    }

    [Fact]
    public void LostLockFileIsRebuiltFromTheLog()
    {
        using var log = new AuditTestLog();
        for (var i = 0; i < 3; i++) log.Run("/bin/echo", i.ToString());
        File.Delete(log.LogPath + ".lock");
        var next = log.Run("/bin/echo", "after");
        Assert.Equal(4, next.Seq);
        Assert.True(AuditReader.Verify(log.LogPath).Intact);
    }
}
