namespace CodexSandbox.Launcher.Tests.Cli;

[Collection(LauncherCollection.Name)]
public sealed class ProbeAndHelpTests(LauncherFixture f)
{
    [Fact]
    public void ProbePrintsKeyValueLinesMatchingThisKernel()
    {
        var r = f.Run("--probe");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var values = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.StartsWith("format=1\n", r.Stdout);
        foreach (var key in new[] { "format", "version", "arch", "kernel", "uid", "landlock_abi", "landlock_fs", "landlock_tcp",
                     "landlock_scope", "seccomp", "seccomp_mode", "no_new_privs", "nproc_limit_enforced", "enforceable" })
            Assert.True(values.ContainsKey(key), key);

        // This machine (and CI) has Landlock and seccomp; the probe must see them.
        Assert.True(int.Parse(values["landlock_abi"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("1", values["seccomp"]);
        Assert.Equal("1", values["enforceable"]);
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture ==
            System.Runtime.InteropServices.Architecture.Arm64 ? "aarch64" : "x86_64", values["arch"]);
        Assert.Equal(Environment.UserName == "root" ? "0" : "1", values["nproc_limit_enforced"]);
    }

    [Fact]
    public void HelpGoesToStdoutAndExitsZero()
    {
        var r = f.Run("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: codex-linux-sandbox", r.Stdout);
        Assert.Contains("--allow-tcp-connect", r.Stdout);
        Assert.Contains("--deny PATH", r.Stdout);
        Assert.Contains("--ro PATH", r.Stdout);
        Assert.Contains("--no-unix-sockets", r.Stdout);
        Assert.Contains("close_range", r.Stdout);
        Assert.DoesNotContain("abstract sockets only when", r.Stdout);
        Assert.Contains("--supervise", r.Stdout);
        Assert.Contains("--relay PORT=SOCKETPATH", r.Stdout);
        Assert.Equal("", r.Stderr);
    }
}
