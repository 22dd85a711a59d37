using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Execution;

/// <summary>The libc calls of the pseudo-terminal relay (Linux, glibc, x86_64 and aarch64).</summary>
internal static unsafe class TerminalNative
{
    private const string Lib = "libc";

    [DllImport(Lib, SetLastError = true)] public static extern int posix_openpt(int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int grantpt(int fd);
    [DllImport(Lib, SetLastError = true)] public static extern int unlockpt(int fd);
    [DllImport(Lib)] public static extern int ptsname_r(int fd, byte* buffer, nuint length);
    [DllImport(Lib, SetLastError = true)] public static extern int open(byte* path, int flags, int mode);
    [DllImport(Lib, SetLastError = true)] public static extern int close(int fd);
    [DllImport(Lib, SetLastError = true)] public static extern int isatty(int fd);
    [DllImport(Lib, SetLastError = true)] public static extern int tcgetattr(int fd, byte* termios);
    [DllImport(Lib, SetLastError = true)] public static extern int tcsetattr(int fd, int when, byte* termios);
    [DllImport(Lib)] public static extern void cfmakeraw(byte* termios);
    // Variadic in C; on x86_64 and aarch64 Linux a variadic pointer travels in the register of a fixed one (see LinuxNative).
    [DllImport(Lib, SetLastError = true)] public static extern int ioctl(int fd, nuint request, void* argument);
    [DllImport(Lib, SetLastError = true)] public static extern int fcntl(int fd, int command, nint argument);

    public const int O_RDWR = 2, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int TCSADRAIN = 1;
    public const nuint TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;

    /// <summary>glibc's struct termios is 60 bytes on x86_64 and aarch64; c_cc starts at byte 17.</summary>
    public const int TermiosBytes = 64, CcOffset = 17, VSUSP = 10;

    /// <summary>struct winsize: rows, columns, and two pixel sizes, each an unsigned short.</summary>
    public const int WinSizeBytes = 8;

    public static int Errno => Marshal.GetLastPInvokeError();
}
