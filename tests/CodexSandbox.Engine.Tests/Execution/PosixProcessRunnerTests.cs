using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using CodexSandbox.Engine.Execution;

namespace CodexSandbox.Engine.Tests.Execution;

/// <summary>
/// The Linux process runner (posix_spawn): what Process did before (exit codes with signals as 128+N, the timeout and
/// Ctrl+C kill sequence, capped output with line callbacks, stdin at end-of-file, the exact environment and working
/// directory, 2 s for the readers after exit), plus the status descriptor and no other inherited descriptor.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PosixProcessRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cxsb-spawn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ProcessOutcome Sh(string script, TimeSpan? timeout = null, int? status = null, long max = 1 << 20,
        Action<OutputLine>? onLine = null, CancellationToken cancel = default, IReadOnlyDictionary<string, string>? env = null) =>
        ProcessRunner.Run(new ProcessSpec
        {
            Program = "/bin/sh",
            Arguments = ["-c", script],
            WorkingDirectory = _dir,
            Environment = env ?? new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            Timeout = timeout,
            OutputMaxBytes = max,
            StatusDescriptor = status,
        }, onLine, cancel);

    [Theory]
    [InlineData(0), InlineData(3), InlineData(255)]
    public void ExitStatusPassesThrough(int code)
    {
        var r = Sh($"echo out; echo err >&2; exit {code}");
        Assert.Equal(code, r.ExitCode);
        Assert.Equal("out\n", r.Stdout);
        Assert.Equal("err\n", r.Stderr);
        Assert.False(r.TimedOut);
        Assert.False(r.Cancelled);
        Assert.Null(r.Status);
    }

    [Theory]
    [InlineData("TERM", 15), InlineData("KILL", 9), InlineData("PIPE", 13)]
    public void DeathBySignalIs128PlusTheSignal(string signal, int number)
    {
        // SIGPIPE too: the child starts with default signal actions, not the runtime's ignored SIGPIPE.
        Assert.Equal(128 + number, Sh($"kill -{signal} $$").ExitCode);
    }

    [Fact]
    public void ChildStartsWithDefaultSignalsAndAnEmptyMask()
    {
        var r = Sh("grep -E '^Sig(Blk|Ign):' /proc/self/status");
        Assert.Equal("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", r.Stdout);
    }

    [Fact]
    public void TimeoutKillsTheTreeAndReports124()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        var clock = Stopwatch.StartNew();
        // The shell ignores SIGTERM, so the runner has to go on to SIGKILL and the tree walk, which reaches the sleep.
        var r = Sh($"trap '' TERM; sleep 60 & echo $! > '{pidFile}'; wait", timeout: TimeSpan.FromMilliseconds(300));
        Assert.True(r.TimedOut);
        Assert.False(r.Cancelled);
        Assert.Equal(ProcessOutcome.TimeoutExitCode, r.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        int sleeper = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WaitGone(sleeper), "the background sleep survived the timeout");
    }

    [Fact]
    public void CancellationSendsSigtermFirstAndReportsCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var r = Sh("trap 'echo got-term; exit 7' TERM; sleep 60 & wait", cancel: cts.Token);
        Assert.True(r.Cancelled);
        Assert.False(r.TimedOut);
        Assert.Equal(7, r.ExitCode);
        Assert.Equal("got-term\n", r.Stdout);
    }

    [Fact]
    public void OutputIsCappedButCountedAndLinesAreStreamed()
    {
        var lines = new List<OutputLine>();
        var r = Sh("printf 'a\\nb\\r\\nc'; printf 'e\\n' >&2; head -c 100000 /dev/zero", max: 1000, onLine: l => { lock (lines) lines.Add(l); });
        Assert.Equal(1000, r.Stdout.Length);
        Assert.Equal(100000 + 6, r.StdoutBytes);
        Assert.True(r.StdoutTruncated);
        Assert.False(r.StderrTruncated);
        Assert.Equal(["a", "b"], lines.Where(l => !l.IsError).Take(2).Select(l => l.Text));
        Assert.Contains(new OutputLine(true, "e"), lines);
    }

    [Fact]
    public void StdinIsAtEndOfFileAtOnce()
    {
        var r = Sh("cat; readlink /proc/self/fd/0", timeout: TimeSpan.FromSeconds(20));
        Assert.False(r.TimedOut);
        Assert.Equal("/dev/null\n", r.Stdout);
    }

    [Fact]
    public void EnvironmentAndWorkingDirectoryAreExactlyTheSpecs()
    {
        var r = ProcessRunner.Run(new ProcessSpec
        {
            Program = "/usr/bin/env",
            WorkingDirectory = _dir,
            Environment = new Dictionary<string, string> { ["ONLY"] = "this one", ["EMPTY"] = "" },
        }, null, CancellationToken.None);
        Assert.Equal(["EMPTY=", "ONLY=this one"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Equal(_dir + "\n", Sh("pwd -P").Stdout);
    }

    [Fact]
    public void NoDescriptorOfThisProcessReachesTheChild()
    {
        // A descriptor opened without close-on-exec, as a native library of the host might hold one.
        int leaked = Native.open("/dev/null", 0);
        Assert.True(leaked > 2);
        try
        {
            // ls (a child of the shell) lists the shell's descriptors, which are exactly what the runner passed.
            Assert.Equal(["0", "1", "2"], Lines(Sh("ls /proc/$$/fd").Stdout));
            var withStatus = Lines(Sh("ls /proc/$$/fd; readlink /proc/$$/fd/3", status: 3).Stdout);
            Assert.Equal(["0", "1", "2", "3"], withStatus[..^1]);
            Assert.StartsWith("pipe:", withStatus[^1]);
        }
        finally
        {
            Native.close(leaked);
        }
    }

    [Fact]
    public void TheStatusDescriptorCarriesWhatTheChildWrites()
    {
        var r = Sh("echo 'format=1' >&3; echo 'outcome=exec' >&3; echo done", status: 3);
        Assert.Equal("format=1\noutcome=exec\n", r.Status);
        Assert.Equal("done\n", r.Stdout);
        Assert.Equal("", Sh("true", status: 5).Status);
        Assert.Equal("x", Sh("printf x >&5", status: 5).Status);
    }

    [Fact]
    public void AProgramThatCannotStartThrowsWithItsErrno()
    {
        var missing = Assert.Throws<Win32Exception>(() => ProcessRunner.Run(new ProcessSpec
        {
            Program = Path.Combine(_dir, "no-such-program"), WorkingDirectory = _dir, Environment = new Dictionary<string, string>(),
        }, null, CancellationToken.None));
        Assert.Equal(2, missing.NativeErrorCode);
        // One argument over the kernel's 128 KiB per-string limit: E2BIG, which the cmdlet maps to ArgumentListTooLong.
        var tooLong = Assert.Throws<Win32Exception>(() => Sh("true", env: new Dictionary<string, string> { ["BIG"] = new string('x', 200_000) }));
        Assert.Equal(7, tooLong.NativeErrorCode);
    }

    [Fact]
    public void ALineCallbackThatThrowsEndsTheRunAndItsTree()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InvalidOperationException>(() =>
            Sh($"sleep 60 & echo $! > '{pidFile}'; echo first; wait", onLine: _ => throw new InvalidOperationException("consumer failed")));
        Assert.Equal("consumer failed", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        int sleeper = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WaitGone(sleeper), "the background sleep outlived the run");
    }

    [Fact]
    public void ReadersGetTwoSecondsAfterExitWhenAGrandchildKeepsThePipes()
    {
        var clock = Stopwatch.StartNew();
        var r = Sh("sleep 30 & echo started", timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("started\n", r.Stdout);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static bool WaitGone(int pid)
    {
        for (int i = 0; i < 100; i++)
        {
            if (!Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal)) return true;
            Thread.Sleep(50);
        }
        return false;
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)] public static extern int open(string path, int flags);
        [DllImport("libc")] public static extern int close(int fd);
    }
}
