using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Landlock;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.Launcher.Seccomp;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Relay;

/// <summary>The relay's own restrictions beyond the launcher's base seccomp deny-list:
/// a Landlock domain that handles every filesystem right and grants none (the relay opens no file;
/// connecting to a pathname unix socket is not a Landlock filesystem access), handles TCP bind and
/// connect and grants neither, and scopes signals and abstract unix sockets; and a seccomp filter
/// allowing only AF_UNIX stream sockets, no bind/listen/socketpair, no execve, no new processes.</summary>
internal sealed unsafe class RelayConfinement
{
    private const nint SysCreateRuleset = 444;
    private const uint RetAllow = 0x7FFF0000, Eperm = 0x00050000 | Libc.EPERM;
    private const uint AfUnix = 1, SockStream = 1, SockTypeMask = 0xF, CloneThread = 0x00010000;

    [StructLayout(LayoutKind.Sequential)]
    internal struct RulesetAttr { public ulong HandledAccessFs; public ulong HandledAccessNet; public ulong Scoped; }

    private readonly int _rulesetFd;
    private readonly FrozenFilter _filter;

    public RelayConfinement(SyscallTable table)
    {
        int abi = LandlockRuleset.QueryAbi();
        if (abi < 1) throw LauncherException.Failure(LaunchErrorKind.LandlockUnavailable, $"{LauncherOption.Relay} needs Landlock, which this kernel does not provide");
        RulesetAttr attr = new() { HandledAccessFs = LandlockAccess.FileSystemRights(abi) };
        if (abi >= 4) attr.HandledAccessNet = LandlockAccess.NetBindTcp | LandlockAccess.NetConnectTcp;
        if (abi >= 6) attr.Scoped = LandlockAccess.ScopeSignal | LandlockAccess.ScopeAbstractUnixSocket;
        _rulesetFd = (int)Libc.syscall(SysCreateRuleset, (nint)(&attr), sizeof(RulesetAttr), 0, 0, 0);
        if (_rulesetFd < 0) throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "landlock_create_ruleset"u8, Libc.Errno);

        _filter = new FrozenFilter(table, FilterRules(table), Eperm);
    }

    /// <summary>The relay's whole seccomp program, not frozen (for tests).</summary>
    internal static BpfProgram FilterProgram(SyscallTable table) => FrozenFilter.Assemble(table, FilterRules(table), Eperm);

    private static SortedDictionary<int, BpfProgram> FilterRules(SyscallTable table)
    {
        bool x64 = table.Name == "x86_64";
        var rules = new SortedDictionary<int, BpfProgram>
        {
            [table.Socket] = UnixStreamOnly(),
            [table.Socketpair] = Deny(),
            [table.Bind] = Deny(),
            [table.Listen] = Deny(),
            [x64 ? 59 : 221] = Deny(),  // execve
            [x64 ? 322 : 281] = Deny(), // execveat
            [table.Clone] = ThreadsOnly(),
            // clone3 passes its flags in memory the filter cannot read: ENOSYS makes libc fall back to clone (checked above).
            [SyscallTable.Clone3] = Enosys(),
        };
        if (x64)
        {
            rules[57] = Deny(); // fork
            rules[58] = Deny(); // vfork
        }

        return rules;
    }

    private static BpfProgram Deny()
    {
        var b = new BpfProgram();
        b.Return(Eperm);
        return b;
    }

    private static BpfProgram UnixStreamOnly()
    {
        var b = new BpfProgram();
        b.Load(BpfProgram.OffsetArgLow(0));
        b.JumpIfEqual(AfUnix, 1, 0);
        b.Return(Eperm);
        b.Load(BpfProgram.OffsetArgLow(1));
        b.And(SockTypeMask);
        b.JumpIfEqual(SockStream, 1, 0);
        b.Return(Eperm);
        b.Return(RetAllow);
        return b;
    }

    /// <summary>clone only with CLONE_THREAD (the runtime may start a thread; no new process).</summary>
    private static BpfProgram Enosys()
    {
        var b = new BpfProgram();
        b.Return(0x00050000 | Libc.ENOSYS);
        return b;
    }

    private static BpfProgram ThreadsOnly()
    {
        var b = new BpfProgram();
        b.Load(BpfProgram.OffsetArgLow(0));
        b.JumpIfAnyBit(CloneThread, 1, 0);
        b.Return(Eperm);
        b.Return(RetAllow);
        return b;
    }

    /// <summary>Enters the Landlock domain. Needs no_new_privs.</summary>
    public bool Restrict() => LandlockRuleset.RestrictSelf(_rulesetFd);

    /// <summary>Installs the relay's socket/exec filter on every thread. Needs no_new_privs.</summary>
    public bool InstallFilter() => _filter.Install();
}
