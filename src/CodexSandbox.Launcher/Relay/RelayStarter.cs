using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Relay;

/// <summary>The launcher's side of --relay: binds 127.0.0.1:PORT for every relay (in the current
/// network namespace, i.e. the sandbox's own under bwrap --unshare-net), starts the relay process
/// with those listeners and a pidfd of this process (which becomes the command), and keeps none of
/// them. Runs before any restriction: the relay is not under the command's Landlock or seccomp.
/// It returns only once the relay has confined itself (a byte on a ready pipe), so the command never
/// runs beside an unconfined relay; a relay that dies first fails the launch (closed).</summary>
internal static unsafe class RelayStarter
{
    public const int ListenBacklog = 128;
    private const int SysPidfdOpen = 434; // same number on every architecture

    public static void Start(LaunchOptions options)
    {
        int count = options.Relays.Count;
        // fd 3: pidfd of this process; 4..: the listeners, in --relay order; then the ready pipe's write end.
        int[] fds = new int[count + 2];
        int opened = 0;
        int ready = -1;
        try
        {
            int first = 3 + fds.Length;
            int pidfd = (int)Libc.syscall(SysPidfdOpen, Posix.getpid(), 0, 0, 0, 0);
            if (pidfd < 0) throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "pidfd_open"u8, Libc.Errno);
            fds[opened++] = Move(pidfd, first, "pidfd_open"u8);
            foreach (var relay in options.Relays) fds[opened++] = Move(Listen(relay.Port), first, "--relay"u8);
            int* pipe = stackalloc int[2];
            if (Libc.pipe2(pipe, Libc.O_CLOEXEC) != 0) throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "--relay: pipe2"u8, Libc.Errno);
            ready = pipe[0];
            fds[opened++] = Move(pipe[1], first, "--relay: pipe2"u8);

            var argv = new List<byte[]>(count + 2) { "codex-linux-sandbox"u8.ToArray(), RelayProcess.Marker.ToArray() };
            foreach (var relay in options.Relays) argv.Add(relay.SocketPath);
            byte** nativeArgv = SelfSpawn.Strings(argv);
            byte** emptyEnvironment = SelfSpawn.Strings([]);

            ulong* empty = stackalloc ulong[Posix.SigSetBytes / 8];
            ulong* all = stackalloc ulong[Posix.SigSetBytes / 8];
            Posix.sigemptyset(empty);
            Posix.sigemptyset(all);
            for (int sig = 1; sig < Posix.NSIG; sig++) Posix.AddSignal(all, sig);
            int pid = SelfSpawn.Start(nativeArgv, emptyEnvironment, empty, all, fds, nullStdio: true);
            if (pid < 0) throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "--relay: posix_spawn /proc/self/exe"u8, -pid);
            Libc.close(fds[--opened]); // only the relay holds the write end now: its exit reads as end-of-file
            AwaitConfined(ready);
        }
        finally
        {
            for (int i = 0; i < opened; i++) Libc.close(fds[i]);
            if (ready >= 0) Libc.close(ready);
        }
    }

    /// <summary>Blocks until the relay reports <see cref="RelayProcess.Confined"/>; anything else (it died
    /// while confining itself) fails the launch.</summary>
    private static void AwaitConfined(int ready)
    {
        byte answer = 0;
        nint n;
        do n = Libc.read(ready, &answer, 1);
        while (n < 0 && Libc.Errno == Posix.EINTR);
        if (n != 1 || answer != RelayProcess.Confined)
            throw LauncherException.Failure(LaunchErrorKind.SetupFailed, "--relay: the relay process ended before it had confined itself");
    }

    private static int Move(int fd, int minimum, ReadOnlySpan<byte> what)
    {
        int moved = SelfSpawn.MoveAtLeast(fd, minimum);
        if (moved >= 0) return moved;
        Libc.close(fd);
        throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, what, -moved);
    }

    /// <summary>A non-blocking, close-on-exec TCP listener on 127.0.0.1:<paramref name="port"/>.</summary>
    private static int Listen(ushort port)
    {
        int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC, 0);
        if (fd < 0) throw Failure(port, Libc.Errno);
        int one = 1;
        Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_REUSEADDR, &one, sizeof(int));
        SockAddrIn address = new()
        {
            Family = Posix.AF_INET,
            PortBigEndian = (ushort)((port >> 8) | (port << 8)),
            AddressBigEndian = 0x0100007F, // 127.0.0.1
        };
        if (Posix.bind(fd, &address, sizeof(SockAddrIn)) != 0 || Posix.listen(fd, ListenBacklog) != 0)
        {
            int errno = Libc.Errno;
            Libc.close(fd);
            throw Failure(port, errno);
        }
        return fd;
    }

    private static LauncherException Failure(ushort port, int errno) =>
        LauncherException.FromErrno(LaunchErrorKind.SetupFailed, System.Text.Encoding.ASCII.GetBytes($"--relay: 127.0.0.1:{port}"), errno);
}
