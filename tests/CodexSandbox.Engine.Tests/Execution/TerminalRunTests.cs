using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Tests.Run;

namespace CodexSandbox.Engine.Tests.Execution;

/// <summary>
/// The interactive run's relay (PosixProcessRunner.RunInTerminal) against a caller's terminal of the test's own: a
/// pseudo-terminal whose slave stands for the caller's stdin and stdout, and whose master the test types into and reads,
/// as a user at a terminal would. The command gets its own second pseudo-terminal, as in a real run.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TerminalRunTests : IDisposable
{
    // Arrays of blittable elements are pinned and passed as pointers.
    [DllImport("libc", SetLastError = true)] private static extern nint read(int fd, byte[] buffer, nint count);
    [DllImport("libc", SetLastError = true)] private static extern nint write(int fd, byte[] buffer, nint count);
    [DllImport("libc", SetLastError = true)] private static extern int poll(int[] fds, nuint count, int timeout);
    [DllImport("libc", SetLastError = true)] private static extern int tcgetattr(int fd, byte[] termios);
    // Variadic in C; on x86_64 and aarch64 Linux a variadic pointer travels in the register of a fixed one.
    [DllImport("libc", SetLastError = true)] private static extern int ioctl(int fd, nuint request, ushort[] size);
    [DllImport("libc")] private static extern int getpid();
    [DllImport("libc")] private static extern int kill(int pid, int signal);

    private const int SIGWINCH = 28;
    private const int LflagOffset = 12, ISIG = 0x1, ICANON = 0x2, ECHO = 0x8;

    private readonly PseudoTerminal _caller = PseudoTerminal.Open(-1);
    private readonly string _dir = Directory.CreateTempSubdirectory("cxsb-pty-").FullName;
    private readonly StringBuilder _seen = new();
    private int _from;

    public void Dispose()
    {
        _caller.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private ProcessSpec Spec(string script, ChildTerminal terminal = ChildTerminal.NewSession, TimeSpan? timeout = null) => new()
    {
        Program = "/bin/sh",
        Arguments = ["-c", script],
        WorkingDirectory = _dir,
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
        Timeout = timeout,
        Terminal = terminal,
    };

    private Task<ProcessOutcome> Start(ProcessSpec spec, CancellationToken cancel = default) =>
        Task.Run(() => PosixProcessRunner.RunInTerminal(spec, cancel, _caller.Slave, _caller.Slave));

    /// <summary>Reads what the caller's terminal shows until <paramref name="text"/> appears after the last typed input.</summary>
    private void WaitFor(string text, Task running)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var buffer = new byte[4096];
        while (_seen.ToString().IndexOf(text, _from, StringComparison.Ordinal) < 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"'{text}' did not appear; the terminal showed: {_seen}");
            if (running.IsCompleted && !Drain(buffer)) throw new InvalidOperationException($"the run ended before '{text}' appeared: {_seen}");
            Drain(buffer);
        }
    }

    private bool Drain(byte[] buffer)
    {
        // struct pollfd: the descriptor, then events (POLLIN) and revents as two shorts in the second int.
        int[] fd = [_caller.Master, 1];
        if (poll(fd, 1, 100) <= 0) return false;
        nint n = read(_caller.Master, buffer, buffer.Length);
        if (n <= 0) return false;
        _seen.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
        return true;
    }

    private void Type(string keys)
    {
        _from = _seen.Length;
        var bytes = Encoding.UTF8.GetBytes(keys);
        Assert.Equal(bytes.Length, write(_caller.Master, bytes, bytes.Length));
    }

    private static ProcessOutcome Finish(Task<ProcessOutcome> running)
    {
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)), "the interactive run did not end");
        return running.Result;
    }

    private byte[] CallerSettings()
    {
        var termios = new byte[TerminalNative.TermiosBytes];
        Assert.Equal(0, tcgetattr(_caller.Slave, termios));
        return termios;
    }

    private void SetCallerSize(ushort rows, ushort columns)
    {
        Assert.Equal(0, ioctl(_caller.Master, TerminalNative.TIOCSWINSZ, [rows, columns, 0, 0]));
    }

    [Fact]
    public void ATypedLineReachesTheCommandAndItsExitCodeComesBack()
    {
        var running = Start(Spec("tty; printf 'name? '; read x; echo \"got:$x\"; exit 7"));
        WaitFor("name? ", running);
        Assert.Matches(@"/dev/pts/\d+", _seen.ToString());
        Type("abc\r");
        WaitFor("got:abc", running);
        var outcome = Finish(running);
        Assert.Equal(7, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
        Assert.False(outcome.TimedOut || outcome.Cancelled);
    }

    [Fact]
    public void CtrlCIsACharacterForTheCommandsTerminal_ItsLineDisciplineSignalsTheCommand()
    {
        var running = Start(Spec("trap 'echo caught-int; exit 9' INT; echo ready; sleep 100"));
        WaitFor("ready", running);
        // As a user would, after the prompt: a shell that takes SIGINT before it starts the sleep runs its trap only after it.
        Thread.Sleep(500);
        Type("\u0003");
        WaitFor("caught-int", running);
        Assert.Equal(9, Finish(running).ExitCode);
    }

    [Fact]
    public void TheCallersTerminalIsRawDuringTheRunAndRestoredAfterwards()
    {
        var before = CallerSettings();
        var running = Start(Spec("echo ready; read x; echo done"));
        WaitFor("ready", running);
        int during = BitConverter.ToInt32(CallerSettings(), LflagOffset);
        Assert.Equal(0, during & (ISIG | ICANON | ECHO));
        Type("x\r");
        Finish(running);
        Assert.Equal(before, CallerSettings());
        Assert.NotEqual(0, BitConverter.ToInt32(before, LflagOffset) & ISIG);
    }

    [Fact]
    public void TheCommandStartsWithTheCallersWindowSizeAndFollowsItsChanges()
    {
        SetCallerSize(30, 90);
        var running = Start(Spec("stty size; trap 'stty size; exit 3' WINCH; echo ready; while :; do sleep 0.05; done"));
        WaitFor("ready", running);
        Assert.Contains("30 90", _seen.ToString());
        _from = _seen.Length;
        SetCallerSize(40, 120);
        // The caller's terminal sends SIGWINCH to its own foreground group; this process is not in it, so it signals itself.
        kill(getpid(), SIGWINCH);
        WaitFor("40 120", running);
        Assert.Equal(3, Finish(running).ExitCode);
    }

    [Fact]
    public void CancellationAndTheTimeoutEndTheRun()
    {
        using var cancel = new CancellationTokenSource();
        var running = Start(Spec("echo ready; sleep 100"), cancel.Token);
        WaitFor("ready", running);
        cancel.Cancel();
        Assert.True(Finish(running).Cancelled);

        var timed = Finish(Start(Spec("sleep 100", timeout: TimeSpan.FromMilliseconds(300))));
        Assert.True(timed.TimedOut);
        Assert.Equal(ProcessOutcome.TimeoutExitCode, timed.ExitCode);
    }

    [Fact]
    public void WithoutATerminalNothingStarts()
    {
        var marker = Path.Combine(_dir, "ran");
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        int fd = (int)devNull.DangerousGetHandle();
        var e = Assert.Throws<TerminalUnavailableException>(() => PosixProcessRunner.RunInTerminal(Spec($"touch '{marker}'"), default, fd, _caller.Slave));
        Assert.Contains("terminal", e.Message);
        Assert.Contains("without -Interactive", e.Remedy);
        Assert.Throws<TerminalUnavailableException>(() => PosixProcessRunner.RunInTerminal(Spec($"touch '{marker}'"), default, _caller.Slave, fd));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void TheLauncherMakesTheTerminalItsCommandsOwn_InjectionStaysDenied()
    {
        // The launcher gets the terminal as an inherited descriptor and takes it after its setsid (--controlling-terminal).
        string launcher = RunWorld.FindLauncher();
        const string Script = "python3 -c 'import fcntl, termios\ntry:\n    fcntl.ioctl(0, termios.TIOCSTI, b\"x\"); print(\"TIOCSTI allowed\")\nexcept OSError as e: print(\"TIOCSTI errno\", e.errno)'; " +
            "tty; trap 'echo caught-int; exit 9' INT; echo ready; sleep 100";
        var spec = Spec(Script, ChildTerminal.Inherited) with
        {
            Program = launcher,
            Arguments = ["--controlling-terminal", "--network", "off", "--supervise", "--", "/bin/sh", "-c", Script],
        };
        var running = Start(spec);
        WaitFor("ready", running);
        Assert.Contains("TIOCSTI errno 1", _seen.ToString());
        Assert.Matches(@"/dev/pts/\d+", _seen.ToString());
        Thread.Sleep(500);
        Type("\u0003");
        WaitFor("caught-int", running);
        Assert.Equal(9, Finish(running).ExitCode);
    }
}
