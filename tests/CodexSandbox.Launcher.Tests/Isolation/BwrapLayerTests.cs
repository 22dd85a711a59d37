namespace CodexSandbox.Launcher.Tests.Isolation;

/// <summary>The launcher also works as the inner stage of the namespace layer (hardened bwrap wrapping
/// it), where it runs as root of a user namespace without CAP_SETPCAP.</summary>
[Collection(LauncherCollection.Name)]
public sealed class BwrapLayerTests(LauncherFixture f)
{
    private static string[] Hardened(string ws) =>
    [
        "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--bind", ws, ws, "--unshare-user", "--unshare-pid",
        "--unshare-net", "--new-session", "--die-with-parent", "--cap-drop", "ALL",
    ];

    [Fact]
    public void LauncherInsideHardenedBwrapEnforcesAndPassesStatusThrough()
    {
        using var s = new Scratch();
        string[] launcher = [f.Launcher, "--mode", "workspace-write", "--rw", s.Workspace, "--"];
        string script = $"grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; echo in > {s.InWorkspace("a")}; " +
                        $"echo out > {s.InOutside("b")} 2>/dev/null; {f.TryIt} socket unix dgram; exit 7";
        var r = ProcessRunner.Run("bwrap", [.. Hardened(s.Workspace), .. launcher, "sh", "-c", script]);

        Assert.Equal(7, r.ExitCode);
        Assert.Matches(@"CapEff:\s+0000000000000000", r.Stdout);
        Assert.Matches(@"NoNewPrivs:\s+1", r.Stdout);
        Assert.Matches(@"Seccomp:\s+2", r.Stdout);
        Assert.Contains("EPERM", r.Stdout); // the launcher's seccomp filter, not bwrap's
        Assert.True(File.Exists(s.InWorkspace("a")));
        Assert.False(File.Exists(s.InOutside("b")));
    }
}
