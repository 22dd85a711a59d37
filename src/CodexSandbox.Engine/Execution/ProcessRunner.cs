using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Execution;

/// <summary>Starts a process, captures its streams apart, and kills its whole tree on timeout or cancellation.</summary>
public static class ProcessRunner
{
    /// <param name="onLine">Called for each complete output line as it arrives (on Linux from the calling thread, elsewhere
    /// from a reader thread); null to only capture.</param>
    public static ProcessOutcome Run(ProcessSpec spec, Action<OutputLine>? onLine, CancellationToken cancel)
    {
        // Linux: posix_spawn, which can pass the launcher its status descriptor and closes every other inherited one.
        // macOS (not tested by this project's CI) and Windows keep Process.
        if (OperatingSystem.IsLinux()) return PosixProcessRunner.Run(spec, onLine, cancel);
        if (spec.StatusDescriptor is not null) throw new PlatformNotSupportedException("A status descriptor can only be passed on Linux.");
        if (spec.Terminal != ChildTerminal.None)
        {
            // macOS: sandbox-exec and the command inherit this process's terminal as they are (no relay). Windows: none yet.
            InteractiveTerminal.EnsureAvailable();
            return RunInheritingTerminal(spec, cancel);
        }
        return RunWithProcess(spec, onLine, cancel);
    }

    private static ProcessOutcome RunWithProcess(ProcessSpec spec, Action<OutputLine>? onLine, CancellationToken cancel)
    {
        var psi = StartInfo(spec, redirect: true);

        var start = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.Start();
        // The child reads end-of-file at once: a sandboxed command never waits on the caller's terminal.
        process.StandardInput.Close();

        var stdout = new OutputCapture(process.StandardOutput.BaseStream, spec.OutputMaxBytes, isError: false, onLine);
        var stderr = new OutputCapture(process.StandardError.BaseStream, spec.OutputMaxBytes, isError: true, onLine);
        var readers = new[] { stdout.Start(), stderr.Start() };

        var (timedOut, cancelled) = WaitOrKill(process, spec.Timeout, cancel);
        // Grandchildren may still hold the pipes; give the readers a moment, then stop waiting for them.
        if (!Task.WaitAll(readers, TimeSpan.FromSeconds(2)))
        {
            KillTree(process);
            Task.WaitAll(readers, TimeSpan.FromSeconds(2));
        }
        clock.Stop();

        return OutputCapture.Outcome(stdout, stderr, timedOut ? 0 : process.ExitCode, timedOut, cancelled, start, clock.Elapsed);
    }

    /// <summary>The spec as a start of <see cref="Process"/>: exactly its arguments and environment, the three standard
    /// streams redirected or the caller's.</summary>
    private static ProcessStartInfo StartInfo(ProcessSpec spec, bool redirect)
    {
        var psi = new ProcessStartInfo(spec.Program)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = redirect,
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
            UseShellExecute = false,
        };
        foreach (var a in spec.Arguments) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var (k, v) in spec.Environment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Waits for the process to exit; on timeout or cancellation kills its tree and waits for that.</summary>
    private static (bool TimedOut, bool Cancelled) WaitOrKill(Process process, TimeSpan? timeout, CancellationToken cancel)
    {
        using var timeoutSource = timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeoutSource.Token);
        try
        {
            process.WaitForExitAsync(linked.Token).GetAwaiter().GetResult();
            return (false, false);
        }
        catch (OperationCanceledException)
        {
            bool timedOut = timeoutSource.IsCancellationRequested && !cancel.IsCancellationRequested;
            KillTree(process);
            process.WaitForExit();
            return (timedOut, !timedOut);
        }
    }

    /// <summary>An interactive run away from Linux: the child shares this process's terminal; nothing is captured.</summary>
    private static ProcessOutcome RunInheritingTerminal(ProcessSpec spec, CancellationToken cancel)
    {
        var psi = StartInfo(spec, redirect: false);

        var start = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.Start();
        var (timedOut, cancelled) = WaitOrKill(process, spec.Timeout, cancel);
        clock.Stop();
        return new ProcessOutcome
        {
            ExitCode = timedOut ? ProcessOutcome.TimeoutExitCode : process.ExitCode,
            TimedOut = timedOut,
            Cancelled = cancelled,
            StartTime = start,
            Duration = clock.Elapsed,
        };
    }

    private static void KillTree(Process process)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try
            {
                // SIGTERM first: the launcher's supervisor (and bwrap, whose PID namespace dies with it) then takes down
                // everything the command started, setsid daemons included, which a SIGKILL of it would orphan.
                if (Kill(process.Id, 15) == 0) process.WaitForExit(500);
                // The launcher calls setsid, so the child leads its own process group: signal the group (this reaches
                // descendants that were re-parented), then walk whatever tree .NET can still see.
                _ = Kill(-process.Id, 9);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
        }
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
