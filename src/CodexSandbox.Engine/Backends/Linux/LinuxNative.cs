using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>The few kernel calls the engine makes itself (the launcher makes the enforcing ones).</summary>
internal static partial class LinuxNative
{
    private const int LandlockCreateRulesetVersion = 1;
    private const int PrGetSeccomp = 21;

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, IntPtr attr, nuint size, uint flags);

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, ulong a2, ulong a3, ulong a4, ulong a5);

    /// <summary>The kernel's Landlock ABI version, or 0 when Landlock is missing or disabled.</summary>
    public static int LandlockAbi()
    {
        long number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.Arm64 => 444, // landlock_create_ruleset has the same number on both
            _ => -1,
        };
        if (number < 0) return 0;
        long abi = Syscall(number, IntPtr.Zero, 0, LandlockCreateRulesetVersion);
        return abi > 0 ? (int)abi : 0;
    }

    /// <summary>True when the kernel supports seccomp filters (PR_GET_SECCOMP answers).</summary>
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    /// <summary>True when this process runs as root (effective uid 0).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && GetEuid() == 0;

    public static bool SeccompAvailable() => Prctl(PrGetSeccomp, 0, 0, 0, 0) >= 0;
}
