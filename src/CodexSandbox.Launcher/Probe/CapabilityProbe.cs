using CodexSandbox.Launcher.Landlock;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.Launcher.Seccomp;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Probe;

/// <summary>--probe: what this kernel lets the launcher enforce, as a probe record (<see cref="ProbeKey"/>, the
/// status record's format) on stdout. The engine's Get-SandboxCapability reads it, so the report says what the
/// launcher itself sees (inside a container or bwrap that can differ from what the engine's process sees).</summary>
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

        Span<byte> buffer = stackalloc byte[RecordFormat.MaxBytes];
        var record = new RecordWriter(buffer);
        record.Add(ProbeKey.Version, "0.1.0");
        record.Add(ProbeKey.Architecture, table is null ? "unsupported" : table.Name);
        byte* uts = stackalloc byte[UtsFieldLength * 6];
        if (Libc.uname(uts) == 0) record.Add(ProbeKey.Kernel, new ReadOnlySpan<byte>(uts + 2 * UtsFieldLength, LineBuilder.Strlen(uts + 2 * UtsFieldLength)));
        else record.Add(ProbeKey.Kernel, "unknown");
        record.Add(ProbeKey.Uid, (long)uid);
        record.Add(ProbeKey.LandlockAbi, abi);
        record.Add(ProbeKey.LandlockFilesystem, abi >= 1);
        record.Add(ProbeKey.LandlockTruncate, abi >= 3);
        record.Add(ProbeKey.LandlockTcp, abi >= 4);
        record.Add(ProbeKey.LandlockIoctlDev, abi >= 5);
        record.Add(ProbeKey.LandlockScope, abi >= 6);

        bool seccomp = false;
        if (table is not null)
        {
            uint action = RetKillProcess;
            seccomp = Libc.syscall(table.SeccompCall, SeccompGetActionAvail, 0, (nint)(&action), 0, 0) == 0;
        }
        record.Add(ProbeKey.Seccomp, seccomp);
        // 0: none, 2: this process already runs under a filter (e.g. a container's); ours stacks on top.
        record.Add(ProbeKey.SeccompMode, Libc.prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
        record.Add(ProbeKey.NoNewPrivileges, Libc.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
        // The kernel exempts uid 0 from RLIMIT_NPROC.
        record.Add(ProbeKey.NprocLimitEnforced, uid != 0);
        record.Add(ProbeKey.Enforceable, table is not null && seccomp && abi >= 1);
        return record.WriteTo(Diagnostics.StdOut) ? 0 : LauncherExitCode.LauncherError;
    }
}
