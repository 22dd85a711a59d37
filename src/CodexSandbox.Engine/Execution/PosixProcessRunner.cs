using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// <see cref="ProcessRunner"/> on Linux: the child is started with <see cref="PosixSpawn"/> (so it can be given the
/// launcher's status descriptor, and inherits nothing else), waited for by pid, and its whole tree is killed on
/// timeout or cancellation.
/// </summary>
internal static unsafe class PosixProcessRunner
{
    [DllImport("libc", SetLastError = true)] private static extern int waitid(int idType, int id, void* info, int options);
    [DllImport("libc", SetLastError = true)] private static extern int waitpid(int pid, int* status, int options);
    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int signal);

    private const int P_PID = 1, WEXITED = 4, WNOWAIT = 0x01000000;
    private const int SIGKILL = 9, SIGTERM = 15, EINTR = 4;
    private const int SigInfoBytes = 128;

    /// <summary>The status record is a few hundred bytes; anything past this is not a record and is dropped.</summary>
    private const long StatusMaxBytes = 64 * 1024;

    public static ProcessOutcome Run(ProcessSpec spec, Action<OutputLine>? onLine, CancellationToken cancel)
    {
        var start = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        var child = PosixSpawn.Start(spec);
        int pid = child.Pid;

        // Waits without reaping: until this run reaps the child at the end, its pid (and process group id) cannot be
        // reused, so every kill below reaches this run's processes and no other. (Not disposed: the waiter may still
        // be setting it when an exception leaves this method.)
        var exited = new ManualResetEventSlim();
        var waiter = new Thread(() =>
        {
            WaitForExit(pid);
            exited.Set();
        })
        { IsBackground = true, Name = "codex-sandbox wait " + pid };
        waiter.Start();

        var stdout = new OutputCapture(Stream(child.Stdout), spec.OutputMaxBytes, isError: false, onLine);
        var stderr = new OutputCapture(Stream(child.Stderr), spec.OutputMaxBytes, isError: true, onLine);
        var status = child.Status is { } statusHandle ? new OutputCapture(Stream(statusHandle), StatusMaxBytes, isError: false, onLine: null) : null;
        var readers = status is null ? new[] { stdout.Start(), stderr.Start() } : new[] { stdout.Start(), stderr.Start(), status.Start() };

        bool timedOut = false, cancelled = false;
        using var timeoutSource = spec.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeoutSource.Token);
        try
        {
            exited.Wait(linked.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = timeoutSource.IsCancellationRequested && !cancel.IsCancellationRequested;
            cancelled = !timedOut;
            KillTree(pid, exited);
            exited.Wait();
        }
        // Grandchildren may still hold the pipes; give the readers a moment, then stop waiting for them.
        if (!Task.WaitAll(readers, TimeSpan.FromSeconds(2)))
        {
            KillTree(pid, exited);
            Task.WaitAll(readers, TimeSpan.FromSeconds(2));
        }
        int exitCode = Reap(pid);
        clock.Stop();

        return OutputCapture.Outcome(stdout, stderr, timedOut ? 0 : exitCode, timedOut, cancelled, start, clock.Elapsed) with
        {
            Status = status?.Text,
        };
    }

    private static FileStream Stream(SafeFileHandle handle) => new(handle, FileAccess.Read, bufferSize: 1, isAsync: false);

    /// <summary>Blocks until the child has exited, leaving it a zombie.</summary>
    private static void WaitForExit(int pid)
    {
        byte* info = stackalloc byte[SigInfoBytes];
        // ECHILD: something else in this process reaped it (the runtime does so only when SIGCHLD was ignored at start).
        while (waitid(P_PID, pid, info, WEXITED | WNOWAIT) != 0 && Marshal.GetLastPInvokeError() == EINTR) { }
    }

    /// <summary>Reaps the child: its exit status, or 128+N when signal N ended it (as Process reports it); -1 when
    /// its status was taken by someone else.</summary>
    private static int Reap(int pid)
    {
        int status;
        int result;
        while ((result = waitpid(pid, &status, 0)) < 0 && Marshal.GetLastPInvokeError() == EINTR) { }
        if (result != pid) return -1;
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F);
    }

    private static void KillTree(int pid, ManualResetEventSlim exited)
    {
        // SIGTERM first: the launcher's supervisor (and bwrap, whose PID namespace dies with it) then takes down
        // everything the command started, setsid daemons included, which a SIGKILL of it would orphan.
        if (kill(pid, SIGTERM) == 0) exited.Wait(500);
        // The launcher calls setsid, so the child leads its own process group: signal the group (this reaches
        // descendants that were re-parented), then walk whatever tree is still attached to the child.
        _ = kill(-pid, SIGKILL);
        if (exited.IsSet) return;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException) { }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }
}
