using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// <see cref="ProcessRunner"/> on Linux: the child is started with <see cref="PosixSpawn"/> (so it can be given the
/// launcher's status descriptor, and inherits nothing else), its pipes and its exit are served on the calling thread
/// (<see cref="ChildIo"/>), and its whole tree is killed on timeout or cancellation.
/// </summary>
internal static unsafe class PosixProcessRunner
{
    [DllImport("libc", SetLastError = true)] private static extern int waitpid(int pid, int* status, int options);
    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int signal);

    private const int SIGKILL = 9, SIGTERM = 15, EINTR = 4;

    /// <summary>The status record is a few hundred bytes; anything past this is not a record and is dropped.</summary>
    private const long StatusMaxBytes = 64 * 1024;

    private static readonly TimeSpan TermGrace = TimeSpan.FromMilliseconds(500), ReaderGrace = TimeSpan.FromSeconds(2);

    public static ProcessOutcome Run(ProcessSpec spec, Action<OutputLine>? onLine, CancellationToken cancel)
    {
        if (spec.Terminal != ChildTerminal.None) return RunInTerminal(spec, cancel);
        var start = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        var child = PosixSpawn.Start(spec);
        var stdout = new OutputCapture(spec.OutputMaxBytes, isError: false, onLine);
        var stderr = new OutputCapture(spec.OutputMaxBytes, isError: true, onLine);
        var status = child.Status >= 0 ? new OutputCapture(StatusMaxBytes, isError: false, onLine: null) : null;
        int[] pipes = status is null ? [child.Stdout, child.Stderr] : [child.Stdout, child.Stderr, child.Status];
        OutputCapture[] captures = status is null ? [stdout, stderr] : [stdout, stderr, status];

        ChildIo io;
        try
        {
            io = new ChildIo(child.Pid, pipes, captures, cancel);
        }
        catch
        {
            _ = kill(child.Pid, SIGKILL);
            Reap(child.Pid);
            throw;
        }

        bool timedOut, cancelled, finished = false;
        int exitCode;
        try
        {
            // Grandchildren may still hold the pipes; the readers get a moment, then the run is killed again.
            (timedOut, cancelled) = Supervise(child.Pid, io, spec.Timeout, static x => x.PipesClosed);
            finished = true;
        }
        finally
        {
            // An exception (from a line callback) must not leave the run behind, nor wait for it forever.
            if (!finished) KillAll(child.Pid);
            io.Dispose();
            exitCode = Reap(child.Pid);
        }
        clock.Stop();

        return OutputCapture.Outcome(stdout, stderr, timedOut ? 0 : exitCode, timedOut, cancelled, start, clock.Elapsed) with
        {
            Status = status?.Text,
        };
    }

    /// <summary>
    /// The end of every run: wait for the child, killing its tree on timeout or cancellation, then give whatever still
    /// holds the run's descriptors a grace (<paramref name="released"/> says when they are let go of), killing again after it.
    /// </summary>
    private static (bool TimedOut, bool Cancelled) Supervise<T>(int pid, T run, TimeSpan? timeout, Func<T, bool> released)
        where T : IServedRun<T>
    {
        bool timedOut = false, cancelled = false;
        if (!run.RunUntil(static x => x.Exited || x.Cancelled, timeout) || !run.Exited)
        {
            cancelled = run.Cancelled;
            timedOut = !cancelled;
            KillTree(pid, run);
            run.RunUntil(static x => x.Exited, null);
        }
        if (!run.RunUntil(released, ReaderGrace))
        {
            KillTree(pid, run);
            run.RunUntil(released, ReaderGrace);
        }
        return (timedOut, cancelled);
    }

    /// <summary>Reaps the child: its exit status, or 128+N when signal N ended it (as Process reports it); -1 when
    /// its status was taken by someone else (the runtime reaps foreign children only when SIGCHLD was ignored at start).</summary>
    private static int Reap(int pid)
    {
        int status;
        int result;
        while ((result = waitpid(pid, &status, 0)) < 0 && Marshal.GetLastPInvokeError() == EINTR) { }
        if (result != pid) return -1;
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F);
    }

    /// <summary>
    /// An interactive run: the child gets a new pseudo-terminal as stdin, stdout and stderr, this process's terminal is
    /// put in raw mode and relayed to it both ways (window size changes too) until the child exits and every process of
    /// the run has let go of the terminal, then restored. Nothing of the output is captured.
    /// </summary>
    /// <param name="input">The caller's terminal to read keys from (stdin; a test passes a terminal of its own).</param>
    /// <param name="output">The caller's terminal to write the command's output to (stdout).</param>
    internal static ProcessOutcome RunInTerminal(ProcessSpec spec, CancellationToken cancel, int input = 0, int output = 1)
    {
        if (!PseudoTerminal.IsTerminal(input) || !PseudoTerminal.IsTerminal(output))
        {
            throw new TerminalUnavailableException("An interactive run needs this process's stdin and stdout to be a terminal, and one of them is redirected.");
        }
        var start = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        using var terminal = PseudoTerminal.Open(input);
        var child = PosixSpawn.Start(spec, terminal);
        terminal.CloseSlave();
        var status = child.Status >= 0 ? new OutputCapture(StatusMaxBytes, isError: false, onLine: null) : null;

        TerminalRelay relay;
        try
        {
            relay = new TerminalRelay(child.Pid, input, output, terminal, child.Status, status, () => ChildIo.HasExited(child.Pid), cancel);
        }
        catch
        {
            _ = kill(child.Pid, SIGKILL);
            Reap(child.Pid);
            throw;
        }

        bool timedOut = false, cancelled = false, finished = false;
        int exitCode;
        RawTerminalMode? raw = null;
        // The caller's window size follows the run: the kernel passes SIGWINCH on to the command's foreground group.
        using var resize = OperatingSystem.IsLinux() ? PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => CopyWindowSize(output, terminal)) : null;
        try
        {
            raw = RawTerminalMode.Enter(input);
            // What the command wrote last is still in the terminal's queue; the launcher's supervisor (or bwrap's PID
            // namespace) has already ended everything else that held the terminal.
            (timedOut, cancelled) = Supervise(child.Pid, relay, spec.Timeout, static x => x.Drained);
            finished = true;
        }
        finally
        {
            if (!finished) KillAll(child.Pid);
            raw?.Dispose();
            relay.Dispose();
            exitCode = Reap(child.Pid);
        }
        clock.Stop();
        return new ProcessOutcome
        {
            ExitCode = timedOut ? ProcessOutcome.TimeoutExitCode : exitCode,
            TimedOut = timedOut,
            Cancelled = cancelled,
            StartTime = start,
            Duration = clock.Elapsed,
            Status = status?.Text,
        };
    }

    private static void CopyWindowSize(int from, PseudoTerminal terminal)
    {
        // The handler may run just after the relay closed the master (the run is ending): then there is nothing to resize.
        int master = terminal.Master;
        if (master >= 0) PseudoTerminal.CopyWindowSize(from, master);
    }

    private static void KillTree(int pid, IChildEvents io)
    {
        // SIGTERM first: the launcher's supervisor (and bwrap, whose PID namespace dies with it) then takes down
        // everything the command started, setsid daemons included, which a SIGKILL of it would orphan.
        if (kill(pid, SIGTERM) == 0) io.WaitForExit(TermGrace);
        // The launcher calls setsid, so the child leads its own process group: signal the group (this reaches
        // descendants that were re-parented), then walk whatever tree is still attached to the child.
        if (io.Exited) _ = kill(-pid, SIGKILL);
        else KillAll(pid);
    }

    /// <summary>SIGKILL for the child's process group, its tree, and the child.</summary>
    private static void KillAll(int pid)
    {
        _ = kill(-pid, SIGKILL);
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException) { }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        _ = kill(pid, SIGKILL);
    }
}
