using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Seccomp;

/// <summary>Builds the seccomp deny-list for the policy (default allow; listed calls fail with an
/// errno, a foreign architecture is killed) and installs it after no_new_privs.</summary>
internal sealed unsafe class SeccompFilter
{
    private const uint RetAllow = 0x7FFF0000, RetErrno = 0x00050000;
    private const uint Eperm = RetErrno | Libc.EPERM, Enosys = RetErrno | Libc.ENOSYS;
    private const uint AfUnix = 1, AfInet = 2, AfInet6 = 10, SockStream = 1, SockDgram = 2, SockTypeMask = 0xF;
    private const uint IpprotoTcp = 6, MsgFastopen = 0x20000000;
    private const uint Tiocsti = 0x5412, Tioclinux = 0x541C;
    // CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET (NEWTIME is clone3/unshare-only).
    private const uint CloneNamespaceFlags = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

    private readonly FrozenFilter _filter;

    /// <summary>The network part of the filter (for the status record).</summary>
    public LauncherNetworkMode Network { get; }

    /// <summary>chmod, chown, utime and xattr calls are denied (read-only mode).</summary>
    public bool DeniesMetadata { get; }

    /// <summary>socket(AF_UNIX, ...) is denied.</summary>
    public bool DeniesUnixSockets { get; }

    public SeccompFilter(SyscallTable table, LaunchOptions options)
    {
        _filter = new FrozenFilter(table, Rules(table, options), Eperm);
        Network = options.Network;
        DeniesMetadata = options.Mode == LauncherSandboxMode.ReadOnly;
        // With the allowlist network only TCP sockets can be made, so AF_UNIX is refused without the option too.
        DeniesUnixSockets = options.NoUnixSockets || (options.Network == LauncherNetworkMode.Allowlist && !options.AllowUnixConnect);
    }

    /// <summary>The whole program for <paramref name="options"/>, not frozen (for tests).</summary>
    internal static BpfProgram Program(SyscallTable table, LaunchOptions options) => FrozenFilter.Assemble(table, Rules(table, options), Eperm);

    private static SortedDictionary<int, BpfProgram> Rules(SyscallTable table, LaunchOptions options)
    {
        // Ordered map: each syscall appears once, its block decides and returns.
        var rules = new SortedDictionary<int, BpfProgram>();
        void Deny(int nr, uint action)
        {
            if (nr < 0) return;
            var block = new BpfProgram();
            block.Return(action);
            rules[nr] = block;
        }

        foreach (int nr in new[]
        {
            table.Unshare, table.Setns, table.Ptrace, table.ProcessVmReadv, table.ProcessVmWritev, SyscallTable.PidfdGetfd,
            table.Mount, table.Umount2, table.PivotRoot, table.Chroot, SyscallTable.OpenTree, SyscallTable.OpenTreeAttr,
            SyscallTable.MoveMount, SyscallTable.Fsopen, SyscallTable.Fsconfig, SyscallTable.Fsmount, SyscallTable.Fspick,
            SyscallTable.MountSetattr, table.Keyctl, table.AddKey, table.RequestKey, table.Bpf, table.PerfEventOpen,
            table.Userfaultfd, table.KexecLoad, table.KexecFileLoad, table.InitModule, table.FinitModule, table.DeleteModule,
            table.OpenByHandleAt, SyscallTable.IoUringSetup, SyscallTable.IoUringEnter, SyscallTable.IoUringRegister,
        })
            Deny(nr, Eperm);

        // clone3 passes its flags in memory the filter cannot read: ENOSYS makes libc fall back to clone.
        Deny(SyscallTable.Clone3, Enosys);
        rules[table.Clone] = DenyIfAnyBit(0, CloneNamespaceFlags);
        rules[table.Ioctl] = DenyTerminalInjection();

        if (options.Mode == LauncherSandboxMode.ReadOnly)
        {
            // Landlock does not mediate metadata changes; in read-only mode none are legitimate.
            foreach (int nr in new[]
            {
                table.Chmod, table.Fchmod, table.Fchmodat, SyscallTable.Fchmodat2, table.Chown, table.Fchown, table.Lchown,
                table.Fchownat, table.Utime, table.Utimes, table.Utimensat, table.Futimesat, table.Setxattr, table.Lsetxattr,
                table.Fsetxattr, table.Removexattr, table.Lremovexattr, table.Fremovexattr, SyscallTable.Setxattrat,
                SyscallTable.Removexattrat, SyscallTable.FileSetattr,
            })
                Deny(nr, Eperm);
        }

        if (options.Network == LauncherNetworkMode.Off)
        {
            rules[table.Socket] = AllowOnlyUnixNonDatagram();
            rules[table.Socketpair] = AllowOnlyUnixNonDatagram();
            // Every family, AF_UNIX included: a host socket such as docker.sock is a network endpoint too. With
            // --allow-unix-connect connect() stays: socket() above makes nothing but AF_UNIX stream sockets, and the
            // caller's mount namespace shows only the host socket files a profile allows.
            foreach (int nr in new[] { table.Connect, table.Bind, table.Listen, table.Accept, table.Accept4 })
            {
                if (nr != table.Connect || !options.AllowUnixConnect) Deny(nr, Eperm);
            }
        }
        else if (options.Network == LauncherNetworkMode.Allowlist)
        {
            rules[table.Socket] = AllowOnlyTcp(options.AllowUnixConnect);
            rules[table.Socketpair] = AllowOnlyUnixNonDatagram();
            foreach (int nr in new[] { table.Bind, table.Listen, table.Accept, table.Accept4 }) Deny(nr, Eperm);
            // TCP Fast Open connects from inside sendto/sendmsg; only connect() is port-checked by Landlock.
            rules[table.Sendto] = DenyIfAnyBit(3, MsgFastopen);
            rules[table.Sendmsg] = DenyIfAnyBit(2, MsgFastopen);
            rules[table.Sendmmsg] = DenyIfAnyBit(3, MsgFastopen);
        }

        // No socket(AF_UNIX): with the network on and no namespace layer, nothing else stops a
        // connect() to a host pathname socket. socketpair reaches nothing outside and stays.
        if (options.NoUnixSockets)
        {
            if (options.Network == LauncherNetworkMode.Off) Deny(table.Socket, Eperm); // AF_UNIX was the only family left
            else if (options.Network == LauncherNetworkMode.On) rules[table.Socket] = DenyIfEqual(0, AfUnix);
            // proxy: AllowOnlyTcp already refuses AF_UNIX.
        }

        return rules;
    }

    /// <summary>arg[index] (low 32 bits) has any of <paramref name="bits"/> ⇒ EPERM.</summary>
    private static BpfProgram DenyIfAnyBit(int index, uint bits)
    {
        var b = new BpfProgram();
        b.Load(BpfProgram.OffsetArgLow(index));
        b.JumpIfAnyBit(bits, 0, 1);
        b.Return(Eperm);
        b.Return(RetAllow);
        return b;
    }

    /// <summary>arg[index] (low 32 bits) == <paramref name="value"/> ⇒ EPERM.</summary>
    private static BpfProgram DenyIfEqual(int index, uint value)
    {
        var b = new BpfProgram();
        b.Load(BpfProgram.OffsetArgLow(index));
        b.JumpIfEqual(value, 0, 1);
        b.Return(Eperm);
        b.Return(RetAllow);
        return b;
    }

    /// <summary>ioctl request (the kernel reads it as 32 bits) TIOCSTI or TIOCLINUX ⇒ EPERM.</summary>
    private static BpfProgram DenyTerminalInjection()
    {
        var b = new BpfProgram();
        b.Load(BpfProgram.OffsetArgLow(1));
        b.JumpIfEqual(Tiocsti, 1, 0);
        b.JumpIfEqual(Tioclinux, 0, 1);
        b.Return(Eperm);
        b.Return(RetAllow);
        return b;
    }

    /// <summary>socket/socketpair: AF_UNIX only, and not SOCK_DGRAM (an unconnected datagram socket
    /// reaches any host pathname socket through sendto without calling connect).</summary>
    private static BpfProgram AllowOnlyUnixNonDatagram()
    {
        var b = new BpfProgram();
        b.Load(BpfProgram.OffsetArgLow(0));
        b.JumpIfEqual(AfUnix, 1, 0);
        b.Return(Eperm);
        b.Load(BpfProgram.OffsetArgLow(1));
        b.And(SockTypeMask);
        b.JumpIfEqual(SockDgram, 0, 1);
        b.Return(Eperm);
        b.Return(RetAllow);
        return b;
    }

    /// <summary>socket: AF_INET/AF_INET6 SOCK_STREAM with protocol 0 or TCP only (UDP, raw, MPTCP and
    /// SCTP are outside Landlock's TCP port rules, AF_UNIX reaches host sockets); with <paramref name="unix"/>
    /// also AF_UNIX but SOCK_DGRAM (the caller's mount namespace hides the host sockets that are not allowed).</summary>
    private static BpfProgram AllowOnlyTcp(bool unix)
    {
        var b = new BpfProgram();
        b.Load(BpfProgram.OffsetArgLow(0));
        if (unix)
        {
            // AF_UNIX: refuse SOCK_DGRAM (sendto reaches any visible socket without connect), allow the rest
            b.JumpIfEqual(AfUnix, 0, 5);
            b.Load(BpfProgram.OffsetArgLow(1));
            b.And(SockTypeMask);
            b.JumpIfEqual(SockDgram, 0, 1);
            b.Return(Eperm);
            b.Return(RetAllow);
        }
        b.JumpIfEqual(AfInet, 2, 0);
        b.JumpIfEqual(AfInet6, 1, 0);
        b.Return(Eperm);
        b.Load(BpfProgram.OffsetArgLow(1));
        b.And(SockTypeMask);
        b.JumpIfEqual(SockStream, 1, 0);
        b.Return(Eperm);
        b.Load(BpfProgram.OffsetArgLow(2));
        b.JumpIfEqual(0, 2, 0);
        b.JumpIfEqual(IpprotoTcp, 1, 0);
        b.Return(Eperm);
        b.Return(RetAllow);
        return b;
    }

    /// <summary>Installs the filter. Needs no_new_privs.</summary>
    public bool Install() => _filter.Install();
}
