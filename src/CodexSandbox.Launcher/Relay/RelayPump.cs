using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Relay;

/// <summary>
/// A single-threaded poll() byte pump: each connection accepted on a 127.0.0.1 listener is joined to
/// a new connection to that listener's unix socket, and bytes are copied both ways through two
/// fixed buffers. End of stream on one side is passed on as shutdown(SHUT_WR) once its buffer is
/// drained; the pair is closed when both directions are finished or on any error. At most
/// <see cref="MaxConnections"/> pairs at once (further clients wait in the listen backlog). Every
/// buffer is allocated up front: the loop allocates nothing. It returns when the watched pidfd (the
/// command's process) becomes readable, i.e. when the command has exited.
/// </summary>
internal sealed unsafe class RelayPump
{
    public const int MaxConnections = 256, BufferSize = 32 * 1024;
    private const int SockAddrUnSize = 110;

    private const byte TcpEof = 1, UnixEof = 2, UnixShut = 4, TcpShut = 8;

    [StructLayout(LayoutKind.Sequential)]
    private struct Pair
    {
        public int Tcp, Unix;
        public int UpStart, UpEnd;       // tcp -> unix
        public int DownStart, DownEnd;   // unix -> tcp
        public byte Flags;
        public bool InUse;
    }

    private readonly int _watchFd;
    private readonly int _firstListener;
    private readonly int _listenerCount;
    private readonly byte* _addresses;    // one sockaddr_un per listener
    private readonly int* _addressLengths;
    private readonly Pair* _pairs;
    private readonly byte* _buffers;      // per pair: up buffer, then down buffer
    private readonly PollFd* _fds;
    private readonly int* _owner;         // poll entry -> pair index (listeners and the pidfd: -1)
    private int _active;

    public RelayPump(int watchFd, int firstListener, IReadOnlyList<byte[]> socketPaths)
    {
        _watchFd = watchFd;
        _firstListener = firstListener;
        _listenerCount = socketPaths.Count;
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(_listenerCount * SockAddrUnSize));
        _addressLengths = (int*)NativeMemory.AllocZeroed((nuint)(_listenerCount * sizeof(int)));
        for (int i = 0; i < _listenerCount; i++)
        {
            byte[] path = socketPaths[i];
            if (path.Length == 0 || path.Length > RelaySpec.MaxSocketPath)
                throw LauncherException.Usage("--relay-process: bad SOCKETPATH");
            byte* address = _addresses + i * SockAddrUnSize;
            *(ushort*)address = Posix.AF_UNIX;
            path.AsSpan().CopyTo(new Span<byte>(address + 2, path.Length));
            _addressLengths[i] = 2 + path.Length + 1;
        }
        _pairs = (Pair*)NativeMemory.AllocZeroed((nuint)(MaxConnections * sizeof(Pair)));
        _buffers = (byte*)NativeMemory.Alloc((nuint)MaxConnections * 2 * BufferSize);
        int entries = 1 + _listenerCount + 2 * MaxConnections;
        _fds = (PollFd*)NativeMemory.AllocZeroed((nuint)(entries * sizeof(PollFd)));
        _owner = (int*)NativeMemory.AllocZeroed((nuint)(entries * sizeof(int)));
    }

    private byte* Up(int i) => _buffers + (nint)i * 2 * BufferSize;
    private byte* Down(int i) => _buffers + ((nint)i * 2 + 1) * BufferSize;

    public int Run()
    {
        while (true)
        {
            int n = 0;
            _fds[n] = new PollFd { Fd = _watchFd, Events = Posix.POLLIN };
            _owner[n++] = -1;
            for (int l = 0; l < _listenerCount; l++)
            {
                _fds[n] = new PollFd { Fd = _active < MaxConnections ? _firstListener + l : -1, Events = Posix.POLLIN };
                _owner[n++] = -1;
            }
            for (int i = 0; i < MaxConnections; i++)
            {
                Pair* p = &_pairs[i];
                if (!p->InUse) continue;
                short tcp = 0, unix = 0;
                if ((p->Flags & TcpEof) == 0 && p->UpEnd < BufferSize) tcp |= Posix.POLLIN;
                if (p->DownEnd > p->DownStart) tcp |= Posix.POLLOUT;
                if ((p->Flags & UnixEof) == 0 && p->DownEnd < BufferSize) unix |= Posix.POLLIN;
                if (p->UpEnd > p->UpStart) unix |= Posix.POLLOUT;
                // A descriptor with nothing wanted is left out, so a hang-up on it cannot spin the loop.
                _fds[n] = new PollFd { Fd = tcp != 0 ? p->Tcp : -1, Events = tcp };
                _owner[n++] = i;
                _fds[n] = new PollFd { Fd = unix != 0 ? p->Unix : -1, Events = unix };
                _owner[n++] = i;
            }

            if (Posix.poll(_fds, (nuint)n, -1) < 0)
            {
                if (Libc.Errno == Posix.EINTR) continue;
                Diagnostics.ErrorErrno("relay: poll"u8, Libc.Errno);
                return LauncherExitCode.LauncherError;
            }
            if (_fds[0].Revents != 0) return 0; // the command's process has exited
            for (int l = 0; l < _listenerCount; l++)
            {
                short revents = _fds[1 + l].Revents;
                if ((revents & Posix.POLLNVAL) != 0)
                {
                    Diagnostics.Error("relay: listener descriptor is not open"u8);
                    return LauncherExitCode.LauncherError;
                }
                if ((revents & Posix.POLLIN) != 0) Accept(l);
            }
            for (int e = 1 + _listenerCount; e < n; e += 2)
            {
                if (_fds[e].Revents == 0 && _fds[e + 1].Revents == 0) continue;
                Service(_owner[e], _fds[e].Revents, _fds[e + 1].Revents);
            }
        }
    }

    private void Accept(int listener)
    {
        if (_active >= MaxConnections) return;
        int tcp = Posix.accept4(_firstListener + listener, null, null, Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC);
        if (tcp < 0) return; // EAGAIN, or a client that reset before accept
        int one = 1;
        Posix.setsockopt(tcp, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, &one, sizeof(int));
        int unix = Posix.socket(Posix.AF_UNIX, Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC, 0);
        // A unix stream connect completes at once or fails (EAGAIN: the proxy's backlog is full);
        // either way the client learns it by the connection closing.
        if (unix < 0 || Posix.connect(unix, _addresses + listener * SockAddrUnSize, _addressLengths[listener]) != 0)
        {
            if (unix >= 0) Libc.close(unix);
            Libc.close(tcp);
            return;
        }
        for (int i = 0; i < MaxConnections; i++)
        {
            if (_pairs[i].InUse) continue;
            _pairs[i] = new Pair { Tcp = tcp, Unix = unix, InUse = true };
            _active++;
            return;
        }
    }

    private void Service(int i, short tcpEvents, short unixEvents)
    {
        Pair* p = &_pairs[i];
        const short readable = Posix.POLLIN | Posix.POLLHUP | Posix.POLLERR;

        if ((tcpEvents & readable) != 0 && (p->Flags & TcpEof) == 0 && p->UpEnd < BufferSize)
        {
            nint got = Posix.recv(p->Tcp, Up(i) + p->UpEnd, BufferSize - p->UpEnd, Posix.MSG_DONTWAIT);
            if (got > 0) p->UpEnd += (int)got;
            else if (got == 0) p->Flags |= TcpEof;
            else if (!Retry()) { Close(i); return; }
        }
        if ((unixEvents & readable) != 0 && (p->Flags & UnixEof) == 0 && p->DownEnd < BufferSize)
        {
            nint got = Posix.recv(p->Unix, Down(i) + p->DownEnd, BufferSize - p->DownEnd, Posix.MSG_DONTWAIT);
            if (got > 0) p->DownEnd += (int)got;
            else if (got == 0) p->Flags |= UnixEof;
            else if (!Retry()) { Close(i); return; }
        }

        if (p->UpEnd > p->UpStart)
        {
            nint sent = Posix.send(p->Unix, Up(i) + p->UpStart, p->UpEnd - p->UpStart, Posix.MSG_DONTWAIT | Posix.MSG_NOSIGNAL);
            if (sent > 0) p->UpStart += (int)sent;
            else if (!Retry())
            {
                // The proxy closed its side: drop what the client still sends, but deliver what
                // the proxy already answered (e.g. a 403 to an upload).
                p->Flags |= TcpEof | UnixShut;
                p->UpStart = p->UpEnd = 0;
            }
        }
        if (p->DownEnd > p->DownStart)
        {
            nint sent = Posix.send(p->Tcp, Down(i) + p->DownStart, p->DownEnd - p->DownStart, Posix.MSG_DONTWAIT | Posix.MSG_NOSIGNAL);
            if (sent > 0) p->DownStart += (int)sent;
            else if (!Retry()) { Close(i); return; } // the client is gone: nobody to deliver to
        }
        Compact(ref p->UpStart, ref p->UpEnd, Up(i));
        Compact(ref p->DownStart, ref p->DownEnd, Down(i));

        if ((p->Flags & (TcpEof | UnixShut)) == TcpEof && p->UpEnd == 0)
        {
            Posix.shutdown(p->Unix, Posix.SHUT_WR);
            p->Flags |= UnixShut;
        }
        if ((p->Flags & (UnixEof | TcpShut)) == UnixEof && p->DownEnd == 0)
        {
            Posix.shutdown(p->Tcp, Posix.SHUT_WR);
            p->Flags |= TcpShut;
        }
        if ((p->Flags & (UnixShut | TcpShut)) == (UnixShut | TcpShut)) Close(i);
    }

    /// <summary>Empties a drained buffer, or moves unsent bytes to the front of a full one.</summary>
    private static void Compact(ref int start, ref int end, byte* buffer)
    {
        if (start == end)
        {
            start = end = 0;
        }
        else if (end == BufferSize && start > 0)
        {
            Buffer.MemoryCopy(buffer + start, buffer, BufferSize, end - start);
            end -= start;
            start = 0;
        }
    }

    private static bool Retry()
    {
        int errno = Libc.Errno;
        return errno is Posix.EAGAIN or Posix.EINTR;
    }

    private void Close(int i)
    {
        Libc.close(_pairs[i].Tcp);
        Libc.close(_pairs[i].Unix);
        _pairs[i] = default;
        _active--;
    }
}
