using System.Diagnostics;

namespace CodexSandbox.Launcher.Tests.Isolation;

/// <summary>Capabilities, no_new_privs, the always-denied kernel interfaces, and host processes.
/// The tests run as root, so each denial is also shown to succeed without the launcher.</summary>
[Collection(LauncherCollection.Name)]
public sealed class PrivilegeTests(LauncherFixture f)
{
    private static string StatusField(string status, string key) =>
        status.Split('\n').First(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();

    [Fact]
    public void CapabilitiesAreGoneAndNoNewPrivsIsSet()
    {
        var r = f.Run("--", "cat", "/proc/self/status");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("0000000000000000", StatusField(r.Stdout, "CapEff"));
        Assert.Equal("0000000000000000", StatusField(r.Stdout, "CapPrm"));
        Assert.Equal("0000000000000000", StatusField(r.Stdout, "CapInh"));
        Assert.Equal("0000000000000000", StatusField(r.Stdout, "CapBnd"));
        Assert.Equal("0000000000000000", StatusField(r.Stdout, "CapAmb"));
        Assert.Equal("1", StatusField(r.Stdout, "NoNewPrivs"));
        Assert.Equal("2", StatusField(r.Stdout, "Seccomp"));

        // The caller (root here) does have capabilities: the zeros above are the launcher's doing.
        var host = ProcessRunner.Run("cat", ["/proc/self/status"]);
        if (Environment.UserName == "root") Assert.NotEqual("0000000000000000", StatusField(host.Stdout, "CapEff"));
    }

    [Fact]
    public void ProgramRunsInANewSession()
    {
        var r = f.Run("--", "sh", "-c", "ps -o sid= -p $$; echo $$");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(lines[1], lines[0]); // session id == own pid
    }

    [Theory]
    [InlineData("io_uring", "EPERM")]
    [InlineData("unshare-user", "EPERM")]
    [InlineData("clone-newuser", "EPERM")]
    public void KernelInterfacesAreDeniedThatWorkOutside(string op, string errno)
    {
        var outside = ProcessRunner.Run(f.TryIt, [op]);
        Assert.True(outside.ExitCode == 0, $"precondition: {op} should work without the launcher: {outside.Stdout}");
        var r = f.Run("--network", "on", "--mode", "workspace-write", "--", f.TryIt, op);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(errno, r.Stdout.Trim());
    }

    [Fact]
    public void Clone3ReportsEnosysSoLibcFallsBackToClone()
    {
        Assert.Equal("ENOSYS", f.Run("--", f.TryIt, "clone3").Stdout.Trim());
        // and ordinary process creation (glibc's posix_spawn/fork use clone3 first) still works
        var r = f.Run("--", "sh", "-c", "/bin/true & wait; echo done");
        Assert.Equal("done", r.Stdout.Trim());
    }

    [Fact]
    public void UnshareCommandFails()
    {
        Assert.Equal(0, ProcessRunner.Run("unshare", ["-U", "true"]).ExitCode);
        Assert.NotEqual(0, f.Run("--", "unshare", "-U", "true").ExitCode);
    }

    [Fact]
    public void MountIsDenied()
    {
        using var s = new Scratch();
        var r = f.Run("--mode", "workspace-write", "--rw", s.Workspace, "--", f.TryIt, "mount", s.Workspace);
        Assert.Equal("EPERM", r.Stdout.Trim());
        Assert.DoesNotContain(s.Workspace, File.ReadAllText("/proc/self/mountinfo"));
    }

    [Fact]
    public void TiocstiIsDenied()
    {
        using var s = new Scratch();
        string notTty = s.InWorkspace("stdin");
        File.WriteAllText(notTty, "");
        // Outside, the same call on a non-terminal stdin fails for that reason (ENOTTY), not EPERM.
        Assert.Equal("ENOTTY", ProcessRunner.Run(f.TryIt, ["tiocsti"], stdinFile: notTty).Stdout.Trim());
        Assert.Equal("EPERM", f.RunWithStdin(notTty, "--", f.TryIt, "tiocsti").Stdout.Trim());
    }

    [Fact]
    public void HostProcessCannotBeSignalledTracedOrWrittenButOwnChildrenCan()
    {
        using var host = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            string pid = host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("EPERM", f.Run("--", f.TryIt, "kill", pid, "15").Stdout.Trim());
            Assert.Equal("EPERM", f.Run("--", f.TryIt, "ptrace-attach", pid).Stdout.Trim());
            string mem = f.Run("--", f.TryIt, "proc-mem-write", pid).Stdout.Trim();
            Assert.True(mem is "EACCES" or "EPERM", mem);
            Assert.False(host.HasExited);

            // Without the launcher, root can open it for writing: the denial above is the sandbox's.
            Assert.Equal("ok", ProcessRunner.Run(f.TryIt, ["proc-mem-write", pid]).Stdout.Trim());
            // Inside, the command still manages its own children.
            Assert.Equal(0, f.Run("--", "sh", "-c", "sleep 30 & kill $! && wait $!; test $? -eq 143").ExitCode);
        }
        finally
        {
            host.Kill();
        }
    }
}
