namespace CodexSandbox.Launcher.Tests.Cli;

/// <summary>The launcher becomes the program: its status, signals and streams pass through; the
/// launcher's own failures use 125/126/127 with one line on stderr.</summary>
[Collection(LauncherCollection.Name)]
public sealed class ExitCodeTests(LauncherFixture f)
{
    [Theory]
    [InlineData(0), InlineData(1), InlineData(42)]
    public void ExitStatusPassesThrough(int code)
    {
        var r = f.Run("--", "sh", "-c", $"exit {code}");
        Assert.Equal(code, r.ExitCode);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void SignalledProgramGives128PlusSignal()
    {
        Assert.Equal(128 + 15, f.Run("--", "sh", "-c", "kill -TERM $$").ExitCode);
    }

    [Theory]
    [InlineData(false), InlineData(true)]
    public void SigpipeIsNotIgnoredSoAPipeEndsQuietly(bool supervise)
    {
        // The .NET runtime ignores SIGPIPE; a program must not inherit that (yes | head -1 would fail on EPIPE).
        string[] options = supervise ? ["--supervise", "--"] : ["--"];
        var r = f.Run([.. options, "sh", "-c", "grep SigIgn /proc/self/status; yes | head -1"]);
        Assert.Equal(0, r.ExitCode);
        var mask = Convert.ToUInt64(r.Stdout.Split('\n')[0].Split(':')[1].Trim(), 16);
        Assert.Equal(0UL, mask & (1UL << 12));
        Assert.DoesNotContain("Broken pipe", r.Stderr);
    }

    [Fact]
    public void StdoutAndStderrStaySeparate()
    {
        var r = f.Run("--", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("out\n", r.Stdout);
        Assert.Equal("err\n", r.Stderr);
    }

    [Fact]
    public void UnknownProgramIs127WithOneLine()
    {
        var r = f.Run("--", "no-such-program-xyz");
        Assert.Equal(127, r.ExitCode);
        Assert.Equal("codex-linux-sandbox: no-such-program-xyz: command not found\n", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void MissingPathIs127AndNonExecutableIs126()
    {
        using var s = new Scratch();
        var missing = f.Run("--", s.InWorkspace("nope"));
        Assert.Equal(127, missing.ExitCode);
        Assert.Equal($"codex-linux-sandbox: {s.InWorkspace("nope")}: No such file or directory\n", missing.Stderr);

        File.WriteAllText(s.InWorkspace("plain"), "echo hi\n");
        var plain = f.Run("--", s.InWorkspace("plain"));
        Assert.Equal(126, plain.ExitCode);
        Assert.StartsWith("codex-linux-sandbox: ", plain.Stderr);
    }

    [Fact]
    public void ExecutableWithoutShebangRunsWithShLikeExecvp()
    {
        using var s = new Scratch();
        string script = s.InWorkspace("noshebang");
        File.WriteAllText(script, "echo \"hi $1\"; exit 5\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        var r = f.Run("--", script, "there");
        Assert.Equal(5, r.ExitCode);
        Assert.Equal("hi there\n", r.Stdout);
    }

    [Theory]
    [InlineData("--bogus", "x")]
    [InlineData("--mode", "sideways", "--", "true")]
    [InlineData("--network", "maybe", "--", "true")]
    [InlineData("--cpu-seconds", "-1", "--", "true")]
    [InlineData("--cpu-seconds", "99999999999999999999999", "--", "true")]
    [InlineData("--allow-tcp-connect", "80", "--", "true")]
    [InlineData("--mode", "read-only", "--rw", "/tmp", "--", "true")]
    [InlineData("--network", "allowlist", "--allow-tcp-connect", "70000", "--", "true")]
    [InlineData("--chdir", "/no/such/dir", "--", "true")]
    [InlineData("--")]
    [InlineData("--memory-mb")]
    [InlineData("--no-unix-sockets=1", "--", "true")]
    [InlineData("--deny", "", "--", "true")]
    [InlineData("--ro=", "--", "true")]
    [InlineData("--deny")]
    [InlineData("--supervise=yes", "--", "true")]
    [InlineData("--relay", "8080=/tmp/proxy.sock", "--", "true")]
    [InlineData("--network", "allowlist", "--relay", "8080", "--", "true")]
    [InlineData("--network", "allowlist", "--relay", "0=/tmp/proxy.sock", "--", "true")]
    [InlineData("--network", "allowlist", "--relay", "8080=relative.sock", "--", "true")]
    [InlineData("--network", "allowlist", "--relay", "8080=/tmp/a.sock", "--relay", "8080=/tmp/b.sock", "--", "true")]
    public void BadArgumentsAre125WithOneLine(params string[] args)
    {
        var r = f.Run(args);
        Assert.Equal(125, r.ExitCode);
        Assert.StartsWith("codex-linux-sandbox: ", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void ProgramIsFoundInPathAndChdirApplies()
    {
        using var s = new Scratch();
        var r = f.Run("--chdir", s.Workspace, "--", "pwd");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(s.Workspace, r.Stdout.Trim());
    }

    [Fact]
    public void ArgumentsThatAreNotUtf8ReachTheProgramByteForByte()
    {
        // .NET strings cannot carry the byte 0xFF, so a shell builds the argument.
        var r = ProcessRunner.Run("sh", ["-c", "\"$0\" -- printf %s \"$(printf 'a\\377b')\" | od -An -tx1", f.Launcher]);
        Assert.Equal("61 ff 62", r.Stdout.Trim());
    }

    [Fact]
    public void OptionsEndAtTheFirstNonOption()
    {
        var r = f.Run("--network=on", "echo", "--mode", "x");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("--mode x\n", r.Stdout);
    }
}
