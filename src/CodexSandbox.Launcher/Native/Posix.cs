using System.Runtime.InteropServices;

namespace CodexSandbox.Launcher.Native;

/// <summary>libc entry points for process supervision and the relay: posix_spawn, signals, waiting,
/// sockets and poll. Blittable signatures only, like <see cref="Libc"/>.</summary>
internal static unsafe class Posix
{
    private const string Lib = "libc";

    // posix_spawn and its helpers return an error number instead of setting errno.
    [DllImport(Lib)] public static extern int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);
    [DllImport(Lib)] public static extern int posix_spawn_file_actions_init(void* fileActions);
    [DllImport(Lib)] public static extern int posix_spawn_file_actions_destroy(void* fileActions);
    [DllImport(Lib)] public static extern int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);
    [DllImport(Lib)] public static extern int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);
    [DllImport(Lib)] public static extern int posix_spawn_file_actions_addclosefrom_np(void* fileActions, int from);
    [DllImport(Lib)] public static extern int posix_spawnattr_init(void* attributes);
    [DllImport(Lib)] public static extern int posix_spawnattr_destroy(void* attributes);
    [DllImport(Lib)] public static extern int posix_spawnattr_setflags(void* attributes, short flags);
    [DllImport(Lib)] public static extern int posix_spawnattr_setsigmask(void* attributes, void* set);
    [DllImport(Lib)] public static extern int posix_spawnattr_setsigdefault(void* attributes, void* set);
    [DllImport(Lib)] public static extern int pthread_sigmask(int how, void* set, void* oldSet);
    [DllImport(Lib)] public static extern int sigemptyset(void* set);

    [DllImport(Lib, SetLastError = true)] public static extern int sigaction(int signal, void* action, void* oldAction);
    [DllImport(Lib, SetLastError = true)] public static extern int waitpid(int pid, int* status, int options);
    [DllImport(Lib, SetLastError = true)] public static extern int waitid(int idType, int id, void* info, int options);
    [DllImport(Lib, SetLastError = true)] public static extern int kill(int pid, int signal);
    [DllImport(Lib, SetLastError = true)] public static extern int getpid();
    // Variadic in C (see Libc's remarks): glibc reads the argument as a pointer-sized value.
    [DllImport(Lib, SetLastError = true)] public static extern int fcntl(int fd, int command, nint argument);
    [DllImport(Lib, SetLastError = true)] public static extern int nanosleep(TimeSpec* request, TimeSpec* remaining);
    [DllImport(Lib, SetLastError = true)] public static extern nint opendir(byte* path);
    [DllImport(Lib, SetLastError = true)] public static extern byte* readdir(nint directory);
    [DllImport(Lib, SetLastError = true)] public static extern int closedir(nint directory);

    [DllImport(Lib, SetLastError = true)] public static extern int socket(int domain, int type, int protocol);
    [DllImport(Lib, SetLastError = true)] public static extern int bind(int fd, void* address, int length);
    [DllImport(Lib, SetLastError = true)] public static extern int listen(int fd, int backlog);
    [DllImport(Lib, SetLastError = true)] public static extern int accept4(int fd, void* address, int* length, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int connect(int fd, void* address, int length);
    [DllImport(Lib, SetLastError = true)] public static extern int setsockopt(int fd, int level, int name, void* value, int length);
    [DllImport(Lib, SetLastError = true)] public static extern int getsockopt(int fd, int level, int name, void* value, int* length);
    [DllImport(Lib, SetLastError = true)] public static extern int shutdown(int fd, int how);
    [DllImport(Lib, SetLastError = true)] public static extern nint send(int fd, byte* buffer, nint length, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern nint recv(int fd, byte* buffer, nint length, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int poll(PollFd* fds, nuint count, int timeout);

    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGPIPE = 13, SIGTERM = 15, SIGCHLD = 17, NSIG = 65;
    public const int SIG_BLOCK = 0;
    public const nint SIG_DFL = 0, SIG_IGN = 1;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    public const int WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000, WALL = 0x40000000;
    public const int P_ALL = 0;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int EINTR = 4, ECHILD = 10, EAGAIN = 11, ESRCH = 3;

    public const int AF_UNIX = 1, AF_INET = 2, SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_ACCEPTCONN = 30, IPPROTO_TCP = 6, TCP_NODELAY = 1;
    public const int SHUT_WR = 1, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
    public const short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;

    /// <summary>glibc object sizes are at most these (x86_64 and aarch64: sigset_t 128, attr 336,
    /// file actions 80, struct sigaction 152, siginfo_t 128).</summary>
    public const int SigSetBytes = 128, SpawnAttrBytes = 512, FileActionsBytes = 128, SigActionBytes = 256, SigInfoBytes = 128;

    /// <summary>siginfo_t: si_pid follows si_signo, si_errno, si_code and padding on 64-bit.</summary>
    public const int SigInfoPidOffset = 16;

    /// <summary>struct dirent (64-bit glibc): d_ino, d_off, d_reclen, d_type, then d_name.</summary>
    public const int DirentNameOffset = 19;

    /// <summary>SIG_DFL for <paramref name="signal"/> (no allocation: the action lives on the stack).</summary>
    public static void SetDefaultAction(int signal)
    {
        ulong* action = stackalloc ulong[SigActionBytes / 8];
        new Span<ulong>(action, SigActionBytes / 8).Clear(); // handler SIG_DFL, empty mask, no flags
        sigaction(signal, action, null);
    }

    /// <summary>Sets signal <paramref name="sig"/> in a sigset_t directly. Unlike sigaddset this also
    /// takes glibc's internal signals 32 and 33, which posix_spawn otherwise leaves ignored in the child.</summary>
    public static void AddSignal(ulong* set, int sig) => set[(sig - 1) / 64] |= 1UL << ((sig - 1) % 64);

    /// <summary>Exit status in shell form: the code, or 128+N for death by signal N.</summary>
    public static int ShellStatus(int waitStatus) =>
        (waitStatus & 0x7F) == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F);
}

[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}

[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}

/// <summary>struct sockaddr_in with the address and port in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockAddrIn
{
    public ushort Family;
    public ushort PortBigEndian;
    public uint AddressBigEndian;
    public ulong Zero;
}
