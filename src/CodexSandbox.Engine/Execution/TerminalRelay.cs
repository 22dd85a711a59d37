using System.Diagnostics;
using System.Runtime.InteropServices;

using static CodexSandbox.Engine.Execution.PollNative;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// One interactive run's descriptors, served with poll(2) on the calling thread: the caller's terminal input into the
/// pseudo-terminal's master, the master's output to the caller's terminal, the launcher's status pipe into its capture,
/// a pidfd that becomes readable when the child exits, and an eventfd that cancellation writes to.
/// </summary>
/// <remarks>Input waits in a buffer while the command does not read (the master is non-blocking), so the loop never
/// stalls on a full terminal queue; output is written to the caller's terminal as it comes.</remarks>
internal sealed unsafe class TerminalRelay : IServedRun<TerminalRelay>, IDisposable
{


    private readonly int _input;
    private readonly int _output;
    private readonly PseudoTerminal _terminal;
    private readonly RunSignals _signals;
    private readonly Func<bool> _hasExited;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly byte[] _pending = new byte[4 * 1024];
    private int _pendingStart, _pendingEnd;
    private int _status;
    private readonly OutputCapture? _statusCapture;
    private bool _inputOpen = true;

    /// <param name="input">The caller's terminal input (stdin); read only when it has data.</param>
    /// <param name="output">The caller's terminal output (stdout).</param>
    /// <param name="status">The read end of the launcher's status pipe, or -1; from here on this instance closes it.</param>
    /// <param name="hasExited">Whether the child has exited, for kernels without pidfd_open.</param>
    public TerminalRelay(int pid, int input, int output, PseudoTerminal terminal, int status, OutputCapture? statusCapture, Func<bool> hasExited,
        CancellationToken cancel)
    {
        _input = input;
        _output = output;
        _terminal = terminal;
        _status = status;
        _statusCapture = statusCapture;
        _hasExited = hasExited;
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

    public bool Cancelled { get; private set; }

    /// <summary>Every process of the run has let go of the terminal (the master reads EIO) and the status pipe is closed.</summary>
    public bool Drained => _terminal.Master < 0 && _status < 0;

    public bool WaitForExit(TimeSpan? timeout) => RunUntil(static x => x.Exited, timeout);

    /// <summary>Relays until <paramref name="done"/> holds (true) or <paramref name="timeout"/> has passed (false).</summary>
    public bool RunUntil(Func<TerminalRelay, bool> done, TimeSpan? timeout)
    {
        long deadline = timeout is { } t ? Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        PollFd* fds = stackalloc PollFd[6];
        while (!done(this))
        {
            long left = deadline == long.MaxValue ? -1 : (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (deadline != long.MaxValue && left <= 0) return false;
            int count = 0, master = -1, input = -1, status = -1, wake = -1, exit = -1;
            if (_terminal.Master >= 0)
            {
                master = count;
                fds[count++] = new PollFd { Fd = _terminal.Master, Events = (short)(POLLIN | (_pendingEnd > _pendingStart ? POLLOUT : 0)) };
            }
            // Keys are read only while the child runs and the previous ones were delivered.
            if (_inputOpen && !Exited && _terminal.Master >= 0 && _pendingEnd == _pendingStart)
            {
                input = count;
                fds[count++] = new PollFd { Fd = _input, Events = POLLIN };
            }
            if (_status >= 0)
            {
                status = count;
                fds[count++] = new PollFd { Fd = _status, Events = POLLIN };
            }
            if (!Cancelled)
            {
                wake = count;
                fds[count++] = new PollFd { Fd = _signals.Wake, Events = POLLIN };
            }
            int waitMs = left < 0 ? -1 : (int)Math.Min(left + 1, int.MaxValue);
            if (!Exited)
            {
                if (_signals.Pidfd >= 0)
                {
                    exit = count;
                    fds[count++] = new PollFd { Fd = _signals.Pidfd, Events = POLLIN };
                }
                else waitMs = waitMs < 0 ? ExitCheckMilliseconds : Math.Min(waitMs, ExitCheckMilliseconds);
            }
            int ready = poll(fds, (nuint)count, waitMs);
            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() == EINTR) continue;
                throw new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError(), "poll failed");
            }
            if (master >= 0 && fds[master].Revents != 0)
            {
                if ((fds[master].Revents & POLLOUT) != 0) FlushInput();
                if ((fds[master].Revents & ~POLLOUT) != 0) ReadMaster();
            }
            if (input >= 0 && fds[input].Revents != 0) ReadInput();
            if (status >= 0 && fds[status].Revents != 0) ReadStatus();
            if (wake >= 0 && fds[wake].Revents != 0) Cancelled = true;
            if (exit >= 0 && fds[exit].Revents != 0) Exited = true;
            if (!Exited && _signals.Pidfd < 0) Exited = _hasExited();
        }
        return true;
    }

    /// <summary>One read of the command's output, written in full to the caller's terminal. EIO (no process holds the
    /// slave any more) or end-of-file closes the master.</summary>
    private void ReadMaster()
    {
        nint n;
        fixed (byte* buffer = _buffer)
        {
            do n = read(_terminal.Master, buffer, _buffer.Length);
            while (n < 0 && Marshal.GetLastPInvokeError() == EINTR);
            if (n < 0 && Marshal.GetLastPInvokeError() == EAGAIN) return;
            if (n <= 0)
            {
                _terminal.Dispose();
                return;
            }
            WriteAll(_output, buffer, n);
        }
    }

    private static void WriteAll(int fd, byte* data, nint count)
    {
        while (count > 0)
        {
            nint written = write(fd, data, count);
            if (written < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno == EAGAIN)
                {
                    // A caller's terminal left non-blocking: wait until it takes more.
                    PollFd wait = new() { Fd = fd, Events = POLLOUT };
                    poll(&wait, 1, 100);
                    continue;
                }
                return; // the caller's terminal is gone; the run goes on and its output is dropped
            }
            data += written;
            count -= written;
        }
    }

    private void ReadInput()
    {
        nint n;
        fixed (byte* pending = _pending)
        {
            do n = read(_input, pending, _pending.Length);
            while (n < 0 && Marshal.GetLastPInvokeError() == EINTR);
        }
        if (n < 0 && Marshal.GetLastPInvokeError() == EAGAIN) return;
        if (n <= 0)
        {
            // The caller's terminal went away (or reads end-of-file): the command keeps its own terminal, without input.
            _inputOpen = false;
            return;
        }
        _pendingStart = 0;
        _pendingEnd = (int)n;
        FlushInput();
    }

    private void FlushInput()
    {
        while (_pendingEnd > _pendingStart && _terminal.Master >= 0)
        {
            nint written;
            fixed (byte* pending = _pending) written = write(_terminal.Master, pending + _pendingStart, _pendingEnd - _pendingStart);
            if (written < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno == EAGAIN) return; // the terminal's input queue is full: POLLOUT says when it takes more
                _pendingStart = _pendingEnd = 0; // the command's side is gone; the keys have nowhere to go
                return;
            }
            _pendingStart += (int)written;
        }
        if (_pendingStart == _pendingEnd) _pendingStart = _pendingEnd = 0;
    }

    private void ReadStatus()
    {
        nint n;
        fixed (byte* buffer = _buffer)
        {
            do n = read(_status, buffer, _buffer.Length);
            while (n < 0 && Marshal.GetLastPInvokeError() == EINTR);
        }
        if (n > 0)
        {
            _statusCapture?.Append(_buffer.AsSpan(0, (int)n));
            return;
        }
        close(_status);
        _status = -1;
        _statusCapture?.Finish();
    }

    public void Dispose()
    {
        _signals?.Dispose(); // null when the constructor failed before it
        if (_status >= 0)
        {
            close(_status);
            _status = -1;
            _statusCapture?.Finish();
        }
    }
}
