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

    public static bool SeccompAvailable() => Prctl(PrGetSeccomp, 0, 0, 0, 0) >= 0;
}
