using CodexSandbox.Launcher.Landlock;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.Launcher.Seccomp;

namespace CodexSandbox.Launcher.Probe;

/// <summary>--probe: what this kernel lets the launcher enforce, as key=value lines on stdout
/// (read by the engine's Get-SandboxCapability).</summary>
internal static unsafe class CapabilityProbe
{
    private const int PR_GET_SECCOMP = 21, PR_GET_NO_NEW_PRIVS = 39;
    private const int SeccompGetActionAvail = 2;
    private const uint RetKillProcess = 0x80000000;
    private const int UtsFieldLength = 65;

    public static int Run()
    {
        SyscallTable? table = SyscallTable.ForCurrentProcess();
        int abi = LandlockRuleset.QueryAbi();
        uint uid = Libc.getuid();

        Line("version="u8, "0.1.0"u8);
        Line("arch="u8, table is null ? "unsupported"u8 : System.Text.Encoding.ASCII.GetBytes(table.Name));
        byte* uts = stackalloc byte[UtsFieldLength * 6];
        Line("kernel="u8, Libc.uname(uts) == 0 ? CString(uts + 2 * UtsFieldLength) : "unknown"u8);
        Line("uid="u8, uid);
        Line("landlock_abi="u8, abi);
        Line("landlock_fs="u8, abi >= 1 ? 1 : 0);
        Line("landlock_truncate="u8, abi >= 3 ? 1 : 0);
        Line("landlock_tcp="u8, abi >= 4 ? 1 : 0);
        Line("landlock_ioctl_dev="u8, abi >= 5 ? 1 : 0);
        Line("landlock_scope="u8, abi >= 6 ? 1 : 0);

        int seccompAvailable = 0;
        if (table is not null)
        {
            uint action = RetKillProcess;
            seccompAvailable = Libc.syscall(table.SeccompCall, SeccompGetActionAvail, 0, (nint)(&action), 0, 0) == 0 ? 1 : 0;
        }
        Line("seccomp="u8, seccompAvailable);
        // 0: none, 2: this process already runs under a filter (e.g. a container's); ours stacks on top.
        Line("seccomp_mode="u8, Libc.prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
        Line("no_new_privs="u8, Libc.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        // The kernel exempts uid 0 from RLIMIT_NPROC.
        Line("nproc_limit_enforced="u8, uid == 0 ? 0 : 1);
        Line("enforceable="u8, table is not null && seccompAvailable == 1 && abi >= 1 ? 1 : 0);
        return 0;
    }

    private static ReadOnlySpan<byte> CString(byte* s) => new(s, LineBuilder.Strlen(s));

    private static void Line(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Span<byte> buf = stackalloc byte[256];
        new LineBuilder(buf).Append(key).Append(value).WriteLineTo(Diagnostics.StdOut);
    }

    private static void Line(ReadOnlySpan<byte> key, long value)
    {
        Span<byte> buf = stackalloc byte[256];
        new LineBuilder(buf).Append(key).Append(value).WriteLineTo(Diagnostics.StdOut);
    }
}
