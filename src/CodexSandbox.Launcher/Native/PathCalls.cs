using System.Runtime.InteropServices;

namespace CodexSandbox.Launcher.Native;

/// <summary>Path resolution and directory reading for the Landlock rules (--deny, --ro): realpath,
/// openat and getdents64, plus the open flags whose values differ between x86_64 and aarch64.</summary>
internal static unsafe class PathCalls
{
    private const string Lib = "libc";

    // Variadic in C (see Libc's remarks): glibc reads mode as int, only with O_CREAT or O_TMPFILE.
    [DllImport(Lib, SetLastError = true)] public static extern int openat(int dirfd, byte* path, int flags, int mode);
    /// <summary>With a caller buffer of <see cref="PathMax"/> bytes: nothing to free.</summary>
    [DllImport(Lib, SetLastError = true)] public static extern byte* realpath(byte* path, byte* resolved);

    public const int PathMax = 4096;
    public const int S_IFLNK = 0xA000;
    public const int ENOTDIR = 20;

    private static bool Arm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>O_NOFOLLOW: 0400000 on x86_64, 0100000 on aarch64.</summary>
    public static int O_NOFOLLOW => Arm64 ? 0x8000 : 0x20000;

    /// <summary>getdents64: 217 on x86_64, 61 on aarch64.</summary>
    private static nint SysGetdents64 => Arm64 ? 61 : 217;

    /// <summary>Fills <paramref name="buffer"/> with struct linux_dirent64 records; bytes read, 0 at the
    /// end, or -1 with errno.</summary>
    public static nint Getdents64(int fd, byte* buffer, int size) => Libc.syscall(SysGetdents64, fd, (nint)buffer, size, 0, 0);

    // struct linux_dirent64: u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[] (NUL-terminated).
    public const int DirentReclenOffset = 16, DirentNameOffset = 19;
}
