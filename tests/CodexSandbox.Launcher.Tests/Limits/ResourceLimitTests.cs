namespace CodexSandbox.Launcher.Tests.Limits;

/// <summary>Each rlimit option stops the program at the limit, and the same work under a looser
/// limit succeeds.</summary>
[Collection(LauncherCollection.Name)]
public sealed class ResourceLimitTests(LauncherFixture f)
{
    [Fact]
    public void MaxProcessesCapsForkingForAnUnprivilegedUser()
    {
        // The kernel exempts uid 0 from RLIMIT_NPROC, so this runs the launcher as "nobody".
        string[] asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", f.Launcher];
        var capped = ProcessRunner.Run("setpriv", [.. asNobody, "--max-processes", "8", "--", f.TryIt, "fork", "40"]);
        Assert.Equal(1, capped.ExitCode);
        Assert.Matches(@"^forked=[0-7] EAGAIN$", capped.Stdout.Trim());

        var loose = ProcessRunner.Run("setpriv", [.. asNobody, "--max-processes", "200", "--", f.TryIt, "fork", "40"]);
        Assert.Equal("forked=40 none", loose.Stdout.Trim());
    }

    [Fact]
    public void MemoryLimitMakesLargeAllocationFail()
    {
        Assert.Equal("ENOMEM", f.Run("--memory-mb", "64", "--", f.TryIt, "alloc", "256").Stdout.Trim());
        Assert.Equal("ok", f.Run("--memory-mb", "512", "--", f.TryIt, "alloc", "256").Stdout.Trim());
    }

    [Fact]
    public void CpuLimitKillsABusyLoop()
    {
        var killed = f.Run("--cpu-seconds", "1", "--", f.TryIt, "spin", "5000");
        Assert.True(killed.ExitCode is 128 + 24 or 128 + 9, $"exit {killed.ExitCode}"); // SIGXCPU, or SIGKILL at the hard limit
        Assert.Equal("", killed.Stdout);

        Assert.Equal("ok", f.Run("--cpu-seconds", "10", "--", f.TryIt, "spin", "200").Stdout.Trim());
    }

    [Fact]
    public void FileSizeLimitStopsAWriterWithSigxfsz()
    {
        using var s = new Scratch();
        string[] rw = ["--mode", "workspace-write", "--rw", s.Workspace, "--file-size-mb", "1", "--"];
        var big = f.Run([.. rw, f.TryIt, "write-bytes", s.InWorkspace("big"), "3000000"]);
        Assert.Equal(128 + 25, big.ExitCode);
        Assert.True(new FileInfo(s.InWorkspace("big")).Length <= 1 << 20);

        Assert.Equal("ok", f.Run([.. rw, f.TryIt, "write-bytes", s.InWorkspace("small"), "500000"]).Stdout.Trim());
    }

    [Fact]
    public void OpenFilesLimitCapsDescriptors()
    {
        var capped = f.Run("--open-files", "16", "--", f.TryIt, "open-files", "64");
        Assert.Equal(1, capped.ExitCode);
        Assert.Matches(@"^opened=1[0-3] EMFILE$", capped.Stdout.Trim());
        Assert.Equal("opened=64", f.Run("--open-files", "256", "--", f.TryIt, "open-files", "64").Stdout.Trim());
    }

    [Fact]
    public void CoreDumpsAreAlwaysDisabled()
    {
        var r = f.Run("--", "sh", "-c", "ulimit -c");
        Assert.Equal("0", r.Stdout.Trim());
    }
}
