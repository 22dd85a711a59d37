using System.Runtime.InteropServices;

namespace CodexSandbox.Launcher.Native;

/// <summary>The libc entry points the launcher needs, bound directly at link time (DirectPInvoke).</summary>
/// <remarks>Every signature is blittable, so no marshalling code runs and nothing is allocated per
/// call; that matters after RLIMIT_AS is lowered, when the managed heap must not grow.
/// <para>open, prctl and syscall (and <see cref="Posix.fcntl"/>, <see cref="PathCalls.openat"/>) are
/// variadic in C and are declared here with fixed arguments. That is sound on the two ABIs the launcher
/// is built for: on x86_64 (System V) and on aarch64 Linux (AAPCS64, unlike Apple's arm64 ABI, which
/// puts variadic arguments on the stack) variadic integer and pointer arguments travel in the same
/// registers as fixed ones, and glibc reads them with va_arg of the type declared here: int for
/// open's mode, unsigned long for prctl's, long for syscall's (its x86_64 and aarch64 versions are
/// assembly that just moves the registers), a pointer-sized value for fcntl's. So each variadic
/// argument is passed at that width (nint/nuint where glibc reads a long or a pointer). None of them
/// takes a floating-point argument, so x86_64's AL (vector-register count) is never consulted for
/// one. There is no non-variadic libc entry for these calls to switch to (syscall itself is
/// variadic), so the declarations stay; a port to another ABI must revisit them.</para></remarks>
internal static unsafe class Libc
{
    private const string Lib = "libc";

    [DllImport(Lib, SetLastError = true)] public static extern nint write(int fd, byte* buf, nint count);
    [DllImport(Lib, SetLastError = true)] public static extern nint read(int fd, byte* buf, nint count);
    // Variadic in C (see the remarks): glibc reads mode as int, only with O_CREAT or O_TMPFILE.
    [DllImport(Lib, SetLastError = true)] public static extern int open(byte* path, int flags, int mode);
    [DllImport(Lib, SetLastError = true)] public static extern int close(int fd);
    [DllImport(Lib, SetLastError = true)] public static extern int pipe2(int* fds, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int chdir(byte* path);
    [DllImport(Lib, SetLastError = true)] public static extern int access(byte* path, int mode);
    [DllImport(Lib, SetLastError = true)] public static extern int statx(int dirfd, byte* path, int flags, uint mask, byte* buf);
    [DllImport(Lib, SetLastError = true)] public static extern int execv(byte* path, byte** argv);
    [DllImport(Lib, SetLastError = true)] public static extern int getrlimit(int resource, RLimit* limit);
    [DllImport(Lib, SetLastError = true)] public static extern int setrlimit(int resource, RLimit* limit);
    // Variadic in C (see the remarks): glibc reads four unsigned longs.
    [DllImport(Lib, SetLastError = true)] public static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    // Variadic in C (see the remarks): glibc hands six longs to the kernel, the sixth read from the stack; no call here uses it.
    [DllImport(Lib, SetLastError = true)] public static extern nint syscall(nint number, nint a1, nint a2, nint a3, nint a4, nint a5);
    [DllImport(Lib, SetLastError = true)] public static extern int setsid();
    [DllImport(Lib, SetLastError = true)] public static extern int getsid(int pid);
    // Variadic in C (see the remarks): the kernel reads the request as an unsigned int and the argument as a long.
    [DllImport(Lib, SetLastError = true)] public static extern int ioctl(int fd, nuint request, nint argument);
    [DllImport(Lib, SetLastError = true)] public static extern int getppid();
    [DllImport(Lib, SetLastError = true)] public static extern uint getuid();
    [DllImport(Lib, SetLastError = true)] public static extern int uname(byte* buf);
    [DllImport(Lib)] public static extern byte* getenv(byte* name);
    [DllImport(Lib)] public static extern byte* strerror(int errnum);

    /// <summary>errno of the last call above (SetLastError keeps it from being clobbered by the runtime).</summary>
    public static int Errno => Marshal.GetLastPInvokeError();

    public const int O_RDONLY = 0, O_WRONLY = 1, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    public const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
    public const int X_OK = 1;
    public const uint STATX_TYPE = 1, STATX_MODE = 2;
    public const int StatxSize = 256, StatxModeOffset = 28;
    public const int S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFREG = 0x8000;

    public const int EPERM = 1, ENOENT = 2, EACCES = 13, EINVAL = 22, ENOSYS = 38, ENOEXEC = 8, EOPNOTSUPP = 95;
}

/// <summary>struct rlimit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RLimit
{
    public ulong Current;
    public ulong Maximum;
}
