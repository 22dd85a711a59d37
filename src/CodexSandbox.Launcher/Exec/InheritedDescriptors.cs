using CodexSandbox.Launcher.Native;

namespace CodexSandbox.Launcher.Exec;

/// <summary>Closes every descriptor above stderr right before execve, so only stdin, stdout and
/// stderr reach PROGRAM: a descriptor the caller leaked without FD_CLOEXEC (a host log file, a
/// pipe, a socket) must not carry a write or a connection past the sandbox. The status descriptor
/// stays open until execve closes it (it is close-on-exec).</summary>
internal static unsafe class InheritedDescriptors
{
    private const nint SysCloseRange = 436; // asm-generic number: the same on x86_64 and aarch64
    private const int RLIMIT_NOFILE = 7;
    private const ulong FallbackCeiling = 1 << 20; // the kernel's default fs.nr_open

    // RLIMIT_NOFILE as inherited: --open-files may lower it before CloseAll runs, while a descriptor
    // the caller opened under the old limit keeps its higher number.
    private static ulong s_inheritedLimit = FallbackCeiling;

    /// <summary>Records the inherited descriptor limit; call before the resource limits are applied.</summary>
    public static void Prepare()
    {
        RLimit limit;
        if (Libc.getrlimit(RLIMIT_NOFILE, &limit) == 0) s_inheritedLimit = Math.Max(limit.Current, limit.Maximum);
    }

    /// <summary>Closes every descriptor from 3 up but <paramref name="keep"/> (-1 for none). Runs after the limits
    /// and filters: syscalls only, no allocation.</summary>
    public static void CloseAll(int keep)
    {
        if (keep < 3)
        {
            CloseRange(3, uint.MaxValue);
            return;
        }
        if (keep > 3) CloseRange(3, (uint)keep - 1);
        CloseRange((uint)keep + 1, uint.MaxValue);
    }

    /// <summary>close_range(first, last, 0).</summary>
    private static void CloseRange(uint first, uint last)
    {
        if (Libc.syscall(SysCloseRange, (nint)first, unchecked((nint)last), 0, 0, 0) == 0) return;

        // Kernels before 5.9 (ENOSYS), or a container's filter that refuses the call: one by one,
        // up to the highest limit a descriptor could have been opened under.
        RLimit limit;
        ulong end = s_inheritedLimit;
        if (Libc.getrlimit(RLIMIT_NOFILE, &limit) == 0) end = Math.Max(end, limit.Current);
        if (end > FallbackCeiling) end = FallbackCeiling;
        if (end > (ulong)last + 1) end = (ulong)last + 1;
        for (ulong fd = first; fd < end; fd++) Libc.close((int)fd);
    }
}
