using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Tests.Audit;

public class AuditRetentionTests
{
    [Fact]
    public void RotationKeepsEachFileUnderTheLimitAndTheChainVerifiesAcrossFiles()
    {
        using var log = new AuditTestLog(maxFileBytes: 2_000);
        for (var i = 0; i < 60; i++) log.Run("/bin/echo", i.ToString());
        var files = new AuditFiles(log.LogPath);
        var rotated = files.Rotated();
        Assert.True(rotated.Count >= 5);
        Assert.Equal(Enumerable.Range(1, rotated.Count).Select(i => (long)i), rotated.Select(r => r.Generation));
        foreach (var file in files.ChainOrder()) Assert.True(new FileInfo(file).Length <= 2_000);
        Assert.Equal(Path.Combine(log.Directory, "sandbox-audit.1.jsonl"), rotated[0].Path);

        var records = log.All();
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.Equal(rotated[0].Path, records[0].File);
        Assert.Equal(log.LogPath, records[^1].File);
        var result = AuditReader.Verify(log.LogPath);
        Assert.True(result.Intact, result.ToString());
        Assert.Equal(60, result.RecordsChecked);
        Assert.Equal(rotated.Count + 1, result.Files.Count);
    }

    [Fact]
    public void TamperingInARotatedFileNamesThatFile()
    {
        using var log = new AuditTestLog(maxFileBytes: 2_000);
        for (var i = 0; i < 30; i++) log.Run("/bin/echo", i.ToString());
        var second = new AuditFiles(log.LogPath).Rotated()[1].Path;
        var lines = File.ReadAllLines(second);
        lines[1] = lines[1].Replace("/bin/echo", "/bin/ecHo");
        File.WriteAllLines(second, lines);
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(second, result.FirstBadFile);
        Assert.Equal(2, result.FirstBadLine);
    }

    [Fact]
    public void RetentionDeletesOnlyOldRotatedFilesAndTheRestStillVerifies()
    {
        using var log = new AuditTestLog(maxFileBytes: 2_000, retentionDays: 30);
        for (var i = 0; i < 40; i++) log.Run("/bin/echo", i.ToString());
        var rotated = new AuditFiles(log.LogPath).Rotated();
        Assert.True(rotated.Count >= 4);
        var old = DateTime.UtcNow.AddDays(-45);
        File.SetLastWriteTimeUtc(rotated[0].Path, old);
        File.SetLastWriteTimeUtc(rotated[1].Path, old);
        // Old but newer than a file that is kept: must stay, or the chain would have a hole.
        File.SetLastWriteTimeUtc(rotated[3].Path, old);

        var deleted = AuditRetention.Apply(log.Settings);
        Assert.Equal([rotated[0].Path, rotated[1].Path], deleted);
        Assert.False(File.Exists(rotated[0].Path));
        Assert.True(File.Exists(rotated[2].Path));
        Assert.True(File.Exists(rotated[3].Path));
        Assert.True(File.Exists(log.LogPath));

        var result = AuditReader.Verify(log.LogPath);
        Assert.True(result.Intact, result.ToString());
        var records = log.All();
        Assert.Equal(40, records[^1].Seq);
        Assert.True(records[0].Seq > 1);
    }

    [Fact]
    public void RetentionRunsAfterRotationDuringAppends()
    {
        using var log = new AuditTestLog(maxFileBytes: 2_000, retentionDays: 1);
        for (var i = 0; i < 20; i++) log.Run("/bin/echo", i.ToString());
        var first = new AuditFiles(log.LogPath).Rotated()[0].Path;
        File.SetLastWriteTimeUtc(first, DateTime.UtcNow.AddDays(-3));
        var before = new AuditFiles(log.LogPath).Rotated().Count;
        while (new AuditFiles(log.LogPath).Rotated().Count <= before && File.Exists(first)) log.Run("/bin/echo", "more");
        Assert.False(File.Exists(first));
        Assert.True(AuditReader.Verify(log.LogPath).Intact);
    }

    [Fact]
    public void DeletingTheOldestFileByHandIsDetected()
    {
        using var log = new AuditTestLog(maxFileBytes: 2_000);
        for (var i = 0; i < 30; i++) log.Run("/bin/echo", i.ToString());
        var oldest = new AuditFiles(log.LogPath).Rotated()[0].Path;
        File.Delete(oldest);
        var result = AuditReader.Verify(log.LogPath);
        Assert.False(result.Intact);
        Assert.Equal(1, result.FirstBadLine);
        Assert.Contains("removed", result.Problem);
    }

    [Fact]
    public void ZeroRetentionKeepsEverything()
    {
        using var log = new AuditTestLog(maxFileBytes: 2_000);
        for (var i = 0; i < 20; i++) log.Run("/bin/echo", i.ToString());
        foreach (var (_, path) in new AuditFiles(log.LogPath).Rotated()) File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddYears(-5));
        Assert.Empty(AuditRetention.Apply(log.LogPath, retentionDays: 0));
    }
}
