using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>The few kernel calls the engine makes itself (the launcher makes the enforcing ones).</summary>
internal static partial class LinuxNative
{
    private const int LandlockCreateRulesetVersion = 1;
    private const int PrGetSeccomp = 21;

    // syscall and prctl are variadic in C. On x86_64 and aarch64 Linux variadic integer arguments
    // travel in the same registers as fixed ones, so fixed declarations work as long as each argument
    // has the width glibc reads with va_arg: long for syscall (as the launcher declares it), unsigned
    // long for prctl. (Apple's arm64 ABI would differ; these are only called on Linux.)
    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern nint Syscall(nint number, nint a1, nint a2, nint a3);

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, nuint a2, nuint a3, nuint a4, nuint a5);

    /// <summary>The kernel's Landlock ABI version, or 0 when Landlock is missing or disabled.</summary>
    public static int LandlockAbi()
    {
        nint number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.Arm64 => 444, // landlock_create_ruleset has the same number on both
            _ => -1,
        };
        if (number < 0) return 0;
        nint abi = Syscall(number, 0, 0, LandlockCreateRulesetVersion);
        return abi > 0 ? (int)abi : 0;
    }

    /// <summary>True when the kernel supports seccomp filters (PR_GET_SECCOMP answers).</summary>
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    /// <summary>True when this process runs as root (effective uid 0).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && GetEuid() == 0;

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern nint Syscall5(nint number, nint a1, nint a2, nint a3, nint a4, nint a5);

    /// <summary>
    /// True when <paramref name="path"/> itself (a symlink is not followed) is a socket. statx through syscall(2), since
    /// .NET does not expose the file type and glibc before 2.33 has no lstat symbol.
    /// </summary>
    public static unsafe bool IsSocket(string path)
    {
        nint number = RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => 332, Architecture.Arm64 => 291, _ => -1 };
        if (number < 0) return false;
        const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxType = 1, ModeOffset = 28;
        const ushort FileTypeMask = 0xF000, SocketType = 0xC000;
        var name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        var buffer = stackalloc byte[256];
        fixed (byte* p = name)
        {
            if (Syscall5(number, AtFdCwd, (nint)p, AtSymlinkNoFollow, StatxType, (nint)buffer) != 0) return false;
        }
        return (*(ushort*)(buffer + ModeOffset) & FileTypeMask) == SocketType;
    }

    public static bool SeccompAvailable() => Prctl(PrGetSeccomp, 0, 0, 0, 0) >= 0;
}
