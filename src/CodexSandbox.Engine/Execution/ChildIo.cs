using System.Diagnostics;
using System.Runtime.InteropServices;

using static CodexSandbox.Engine.Execution.PollNative;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// One run's descriptors, served with poll(2) on the calling thread: the child's pipes into their captures, a pidfd
/// that becomes readable when the child exits, and an eventfd that cancellation writes to. No thread per stream and
/// none to wait with, so a run costs its system calls and little else.
/// </summary>
/// <remarks>The child is never reaped here: until <see cref="PosixProcessRunner"/> reaps it, its pid and process group
/// id cannot be reused, so every signal sent meanwhile reaches this run's processes and no other.</remarks>
internal sealed unsafe class ChildIo : IServedRun<ChildIo>, IDisposable
{
    [DllImport("libc", SetLastError = true)] private static extern int waitid(int idType, int id, void* info, int options);

    private const int P_PID = 1, WEXITED = 4, WNOHANG = 1, WNOWAIT = 0x01000000, SigInfoBytes = 128, SigInfoPidOffset = 16;

    private readonly int _pid;
    private readonly int[] _pipes;
    private readonly OutputCapture[] _captures;
    private readonly RunSignals _signals;
    private readonly byte[] _buffer = new byte[64 * 1024];

    /// <param name="pipes">Read ends, each feeding the capture at the same index; from here on this instance closes them.</param>
    public ChildIo(int pid, int[] pipes, OutputCapture[] captures, CancellationToken cancel)
    {
        _pid = pid;
        _pipes = pipes;
        _captures = captures;
        try
        {
            _signals = new RunSignals(pid, cancel);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool Exited { get; private set; }

    /// <summary>Cancellation was requested (the eventfd was written).</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Every pipe has reached end-of-file.</summary>
    public bool PipesClosed => Array.TrueForAll(_pipes, fd => fd < 0);

    public bool WaitForExit(TimeSpan? timeout) => RunUntil(static x => x.Exited, timeout);

    /// <summary>Serves the descriptors until <paramref name="done"/> holds (true) or <paramref name="timeout"/> has passed
    /// (false); null waits without limit.</summary>
    public bool RunUntil(Func<ChildIo, bool> done, TimeSpan? timeout)
    {
        long deadline = timeout is { } t ? Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        PollFd* fds = stackalloc PollFd[_pipes.Length + 2];
        while (!done(this))
        {
            long left = deadline == long.MaxValue ? -1 : (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (deadline != long.MaxValue && left <= 0) return false;
            int count = 0;
            foreach (int fd in _pipes) if (fd >= 0) fds[count++] = new PollFd { Fd = fd, Events = POLLIN };
            int pipeCount = count;
            // Once seen, the cancellation stays set (and its eventfd readable): it is not polled again.
            if (!Cancelled) fds[count++] = new PollFd { Fd = _signals.Wake, Events = POLLIN };
            int wait = left < 0 ? -1 : (int)Math.Min(left + 1, int.MaxValue);
            if (!Exited)
            {
                if (_signals.Pidfd >= 0) fds[count++] = new PollFd { Fd = _signals.Pidfd, Events = POLLIN };
                else wait = wait < 0 ? ExitCheckMilliseconds : Math.Min(wait, ExitCheckMilliseconds);
            }
            int ready = poll(fds, (nuint)count, wait);
            if (ready < 0 && Marshal.GetLastPInvokeError() != EINTR)
                throw new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError(), "poll failed");
            for (int i = 0; ready > 0 && i < count; i++)
            {
                if (fds[i].Revents == 0) continue;
                if (i < pipeCount) ReadPipe(fds[i].Fd);
                else if (fds[i].Fd == _signals.Wake) Cancelled = true;
                else Exited = true;
            }
            if (!Exited && _signals.Pidfd < 0) Exited = HasExited(_pid);
        }
        return true;
    }

    /// <summary>One read of a ready pipe; end-of-file (or an error) closes it and finishes its capture.</summary>
    private void ReadPipe(int fd)
    {
        int index = Array.IndexOf(_pipes, fd);
        nint n;
        fixed (byte* buffer = _buffer)
        {
            do n = read(fd, buffer, _buffer.Length);
            while (n < 0 && Marshal.GetLastPInvokeError() == EINTR);
        }
        if (n > 0)
        {
            _captures[index].Append(_buffer.AsSpan(0, (int)n));
            return;
        }
        ClosePipe(index);
    }

    private void ClosePipe(int index)
    {
        close(_pipes[index]);
        _pipes[index] = -1;
        _captures[index].Finish();
    }

    /// <summary>Whether child <paramref name="pid"/> has exited, without reaping it (for kernels without pidfd_open).</summary>
    public static bool HasExited(int pid)
    {
        byte* info = stackalloc byte[SigInfoBytes];
        new Span<byte>(info, SigInfoBytes).Clear();
        return waitid(P_PID, pid, info, WEXITED | WNOHANG | WNOWAIT) == 0 && *(int*)(info + SigInfoPidOffset) == pid;
    }

    /// <summary>Closes what is still open; a pipe given up on (a grandchild still holds it) ends its capture as it stands.</summary>
    public void Dispose()
    {
        _signals?.Dispose(); // null when the constructor failed before it
        for (int i = 0; i < _pipes.Length; i++)
        {
            if (_pipes[i] >= 0) ClosePipe(i);
        }
    }
}
