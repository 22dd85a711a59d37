using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Relay;
using CodexSandbox.Launcher.Seccomp;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Tests.Seccomp;


/// <summary>The sandbox's and the relay's seccomp programs, run in <see cref="BpfInterpreter"/> (no
/// kernel, no filter installed) against syscalls of the architecture the tests run on.</summary>
public sealed class SeccompProgramTests
{
    private const uint Allow = 0x7FFF0000, Eperm = 0x00050000 | 1, Enosys = 0x00050000 | 38, Kill = 0x80000000;
    private const ulong AfUnix = 1, AfInet = 2, AfInet6 = 10, SockStream = 1, SockDgram = 2, SockRaw = 3;
    private const ulong SockNonblock = 0x800, SockCloexec = 0x80000, IpprotoTcp = 6, IpprotoUdp = 17, IpprotoMptcp = 262;
    private const ulong MsgFastopen = 0x20000000, MsgNosignal = 0x4000;
    private const ulong Sigchld = 17, CloneNewuser = 0x10000000, CloneNewns = 0x00020000, CloneNewnet = 0x40000000;
    private const ulong CloneThreadFlags = 0x00010000 | 0x00000100 | 0x00000200 | 0x00000400 | 0x00000800 | 0x00040000 | 0x00080000 | 0x00100000 | 0x00200000;
    private const ulong Tiocsti = 0x5412, Tioclinux = 0x541C, Tcgets = 0x5401, Fionread = 0x541B;
    private const uint AuditArchI386 = 0x40000003, AuditArchX64 = 0xC000003E, AuditArchArm64 = 0xC00000B7;

    private static readonly SyscallTable Table = SyscallTable.ForCurrentProcess() ?? SyscallTable.X64;
    private static bool X64 => Table.Name == "x86_64";
    private static int Read => X64 ? 0 : 63;
    private static int Getpid => X64 ? 39 : 172;
    private static int Execve => X64 ? 59 : 221;
    private static int Execveat => X64 ? 322 : 281;

    private static BpfProgram.SockFilter[] Sandbox(LauncherSandboxMode mode = LauncherSandboxMode.WorkspaceWrite, LauncherNetworkMode network = LauncherNetworkMode.Off, bool noUnix = false) =>
        SeccompFilter.Program(Table, new LaunchOptions { Mode = mode, Network = network, NoUnixSockets = noUnix }).ToArray();

    private static uint Verdict(BpfProgram.SockFilter[] program, int nr, params ulong[] args) =>
        BpfInterpreter.Run(program, Table.AuditArch, nr, args);

    private static void Expect(uint expected, BpfProgram.SockFilter[] program, string call, int nr, params ulong[] args)
    {
        uint actual = Verdict(program, nr, args);
        Assert.True(expected == actual, $"{call} ({Table.Name} nr {nr}, args {string.Join(',', args.Select(a => "0x" + a.ToString("x")))}): expected 0x{expected:x8}, got 0x{actual:x8}");
    }

    public static TheoryData<int, int, bool> AllOptions()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var mode in Enum.GetValues<LauncherSandboxMode>())
            foreach (var network in Enum.GetValues<LauncherNetworkMode>())
                foreach (bool noUnix in new[] { false, true })
                    data.Add((int)mode, (int)network, noUnix);
        return data;
    }

    [Fact]
    public void MetadataCallsAreRefusedOnlyInReadOnlyMode()
    {
        var ro = Sandbox(LauncherSandboxMode.ReadOnly);
        var ww = Sandbox(LauncherSandboxMode.WorkspaceWrite);
        var calls = new List<(string, int)>
        {
            ("fchmod", Table.Fchmod), ("fchmodat", Table.Fchmodat), ("fchmodat2", SyscallTable.Fchmodat2), ("fchown", Table.Fchown),
            ("fchownat", Table.Fchownat), ("utimensat", Table.Utimensat), ("setxattr", Table.Setxattr), ("fsetxattr", Table.Fsetxattr),
            ("removexattr", Table.Removexattr), ("setxattrat", SyscallTable.Setxattrat), ("file_setattr", SyscallTable.FileSetattr),
        };
        if (X64) calls.AddRange([("chmod", Table.Chmod), ("chown", Table.Chown), ("lchown", Table.Lchown), ("utime", Table.Utime), ("utimes", Table.Utimes)]);
        foreach (var (name, nr) in calls)
        {
            Expect(Eperm, ro, name, nr, 0, 0, 0x1ED);
            Expect(Allow, ww, name, nr, 0, 0, 0x1ED);
        }
        Expect(Allow, ro, "read", Read, 0, 0, 0);
    }

    [Theory]
    [InlineData((int)LauncherSandboxMode.ReadOnly)]
    [InlineData((int)LauncherSandboxMode.WorkspaceWrite)]
    public void NetworkOffAllowsOnlyUnixStreamSocketsAndNoConnect(int mode)
    {
        var p = Sandbox((LauncherSandboxMode)mode, LauncherNetworkMode.Off);
        Expect(Eperm, p, "socket(AF_INET, SOCK_STREAM)", Table.Socket, AfInet, SockStream, 0);
        Expect(Eperm, p, "socket(AF_INET6, SOCK_DGRAM)", Table.Socket, AfInet6, SockDgram, 0);
        Expect(Eperm, p, "socket(AF_INET, SOCK_RAW)", Table.Socket, AfInet, SockRaw, 1);
        Expect(Allow, p, "socket(AF_UNIX, SOCK_STREAM)", Table.Socket, AfUnix, SockStream, 0);
        Expect(Allow, p, "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK)", Table.Socket, AfUnix, SockStream | SockCloexec | SockNonblock, 0);
        Expect(Eperm, p, "socket(AF_UNIX, SOCK_DGRAM)", Table.Socket, AfUnix, SockDgram, 0);
        Expect(Eperm, p, "socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC)", Table.Socket, AfUnix, SockDgram | SockCloexec, 0);
        Expect(Allow, p, "socketpair(AF_UNIX, SOCK_STREAM)", Table.Socketpair, AfUnix, SockStream, 0);
        Expect(Eperm, p, "socketpair(AF_UNIX, SOCK_DGRAM)", Table.Socketpair, AfUnix, SockDgram, 0);
        Expect(Eperm, p, "socketpair(AF_INET, SOCK_STREAM)", Table.Socketpair, AfInet, SockStream, 0);
        foreach (var (name, nr) in new[] { ("connect", Table.Connect), ("bind", Table.Bind), ("listen", Table.Listen), ("accept", Table.Accept), ("accept4", Table.Accept4) })
            Expect(Eperm, p, name, nr, 3, 0, 16);
        Expect(Allow, p, "sendto(MSG_NOSIGNAL)", Table.Sendto, 3, 0, 1, MsgNosignal);
    }

    [Fact]
    public void AllowUnixConnectOpensOnlyConnectOfUnixStreamSockets()
    {
        // Off: socket() still makes AF_UNIX streams only, so connect can reach nothing but a unix socket
        var off = SeccompFilter.Program(Table, new LaunchOptions { Network = LauncherNetworkMode.Off, AllowUnixConnect = true }).ToArray();
        Expect(Allow, off, "connect", Table.Connect, 3, 0, 16);
        Expect(Eperm, off, "socket(AF_INET, SOCK_STREAM)", Table.Socket, AfInet, SockStream, 0);
        Expect(Eperm, off, "socket(AF_UNIX, SOCK_DGRAM)", Table.Socket, AfUnix, SockDgram, 0);
        foreach (var (name, nr) in new[] { ("bind", Table.Bind), ("listen", Table.Listen), ("accept", Table.Accept), ("accept4", Table.Accept4) })
            Expect(Eperm, off, name, nr, 3, 0, 16);

        // Allowlist: AF_UNIX streams join the TCP sockets; datagrams and every other family stay refused
        var allowlist = SeccompFilter.Program(Table, new LaunchOptions { Network = LauncherNetworkMode.Allowlist, AllowUnixConnect = true }).ToArray();
        Expect(Allow, allowlist, "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC)", Table.Socket, AfUnix, SockStream | SockCloexec, 0);
        Expect(Eperm, allowlist, "socket(AF_UNIX, SOCK_DGRAM)", Table.Socket, AfUnix, SockDgram, 0);
        Expect(Allow, allowlist, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)", Table.Socket, AfInet, SockStream, IpprotoTcp);
        Expect(Allow, allowlist, "socket(AF_INET6, SOCK_STREAM, 0)", Table.Socket, AfInet6, SockStream, 0);
        Expect(Eperm, allowlist, "socket(AF_INET, SOCK_DGRAM)", Table.Socket, AfInet, SockDgram, 0);
        Expect(Eperm, allowlist, "socket(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP)", Table.Socket, AfInet6, SockStream, IpprotoMptcp);
        Expect(Eperm, allowlist, "socket(AF_INET, SOCK_RAW, 1)", Table.Socket, AfInet, SockRaw, 1);
        Expect(Eperm, allowlist, "socket(16 netlink, SOCK_RAW)", Table.Socket, 16, SockRaw, 0);
    }

    [Fact]
    public void NetworkAllowlistAllowsOnlyTcpSocketsAndNoFastOpen()
    {
        var p = Sandbox(LauncherSandboxMode.WorkspaceWrite, LauncherNetworkMode.Allowlist);
        Expect(Allow, p, "socket(AF_INET, SOCK_STREAM, 0)", Table.Socket, AfInet, SockStream, 0);
        Expect(Allow, p, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)", Table.Socket, AfInet, SockStream, IpprotoTcp);
        Expect(Allow, p, "socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, 0)", Table.Socket, AfInet6, SockStream | SockCloexec, 0);
        Expect(Eperm, p, "socket(AF_INET, SOCK_DGRAM, 0)", Table.Socket, AfInet, SockDgram, 0);
        Expect(Eperm, p, "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)", Table.Socket, AfInet, SockDgram, IpprotoUdp);
        Expect(Eperm, p, "socket(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP)", Table.Socket, AfInet6, SockStream, IpprotoMptcp);
        Expect(Eperm, p, "socket(AF_INET, SOCK_RAW, 1)", Table.Socket, AfInet, SockRaw, 1);
        Expect(Eperm, p, "socket(AF_UNIX, SOCK_STREAM)", Table.Socket, AfUnix, SockStream, 0);
        Expect(Allow, p, "socketpair(AF_UNIX, SOCK_STREAM)", Table.Socketpair, AfUnix, SockStream, 0);
        Expect(Eperm, p, "socketpair(AF_UNIX, SOCK_DGRAM)", Table.Socketpair, AfUnix, SockDgram, 0);
        Expect(Allow, p, "connect", Table.Connect, 3, 0, 16);
        foreach (var (name, nr) in new[] { ("bind", Table.Bind), ("listen", Table.Listen), ("accept", Table.Accept), ("accept4", Table.Accept4) })
            Expect(Eperm, p, name, nr, 3, 0, 16);
        Expect(Eperm, p, "sendto(MSG_FASTOPEN)", Table.Sendto, 3, 0, 1, MsgFastopen, 0, 16);
        Expect(Eperm, p, "sendto(MSG_FASTOPEN|MSG_NOSIGNAL)", Table.Sendto, 3, 0, 1, MsgFastopen | MsgNosignal, 0, 16);
        Expect(Allow, p, "sendto(MSG_NOSIGNAL)", Table.Sendto, 3, 0, 1, MsgNosignal, 0, 0);
        Expect(Eperm, p, "sendmsg(MSG_FASTOPEN)", Table.Sendmsg, 3, 0, MsgFastopen);
        Expect(Allow, p, "sendmsg(0)", Table.Sendmsg, 3, 0, 0);
        Expect(Eperm, p, "sendmmsg(MSG_FASTOPEN)", Table.Sendmmsg, 3, 0, 1, MsgFastopen);
        Expect(Allow, p, "sendmmsg(0)", Table.Sendmmsg, 3, 0, 1, 0);
    }

    [Fact]
    public void NetworkOnAllowsSocketsAndNoUnixSocketsRefusesOnlyAfUnix()
    {
        var on = Sandbox(LauncherSandboxMode.WorkspaceWrite, LauncherNetworkMode.On);
        Expect(Allow, on, "socket(AF_INET, SOCK_DGRAM)", Table.Socket, AfInet, SockDgram, 0);
        Expect(Allow, on, "socket(AF_UNIX, SOCK_DGRAM)", Table.Socket, AfUnix, SockDgram, 0);
        Expect(Allow, on, "connect", Table.Connect, 3, 0, 16);
        Expect(Allow, on, "bind", Table.Bind, 3, 0, 16);
        Expect(Allow, on, "sendto(MSG_FASTOPEN)", Table.Sendto, 3, 0, 1, MsgFastopen);

        var noUnix = Sandbox(LauncherSandboxMode.WorkspaceWrite, LauncherNetworkMode.On, noUnix: true);
        Expect(Eperm, noUnix, "socket(AF_UNIX, SOCK_STREAM)", Table.Socket, AfUnix, SockStream, 0);
        Expect(Eperm, noUnix, "socket(AF_UNIX, SOCK_DGRAM)", Table.Socket, AfUnix, SockDgram, 0);
        Expect(Allow, noUnix, "socket(AF_INET, SOCK_STREAM)", Table.Socket, AfInet, SockStream, 0);
        Expect(Allow, noUnix, "socket(AF_INET6, SOCK_DGRAM)", Table.Socket, AfInet6, SockDgram, 0);
        Expect(Allow, noUnix, "socketpair(AF_UNIX, SOCK_STREAM)", Table.Socketpair, AfUnix, SockStream, 0);
        Expect(Allow, noUnix, "connect", Table.Connect, 3, 0, 16);

        var offNoUnix = Sandbox(LauncherSandboxMode.WorkspaceWrite, LauncherNetworkMode.Off, noUnix: true);
        Expect(Eperm, offNoUnix, "socket(AF_UNIX, SOCK_STREAM)", Table.Socket, AfUnix, SockStream, 0);
        Expect(Eperm, offNoUnix, "socket(AF_INET, SOCK_STREAM)", Table.Socket, AfInet, SockStream, 0);
        Expect(Allow, offNoUnix, "socketpair(AF_UNIX, SOCK_STREAM)", Table.Socketpair, AfUnix, SockStream, 0);

        var allowlistNoUnix = Sandbox(LauncherSandboxMode.WorkspaceWrite, LauncherNetworkMode.Allowlist, noUnix: true);
        Expect(Eperm, allowlistNoUnix, "socket(AF_UNIX, SOCK_STREAM)", Table.Socket, AfUnix, SockStream, 0);
        Expect(Allow, allowlistNoUnix, "socket(AF_INET, SOCK_STREAM)", Table.Socket, AfInet, SockStream, 0);
    }

    [Theory]
    [MemberData(nameof(AllOptions))]
    public void DangerousCallsAreRefusedUnderEveryOption(int mode, int network, bool noUnix)
    {
        var p = Sandbox((LauncherSandboxMode)mode, (LauncherNetworkMode)network, noUnix);
        foreach (var (name, nr) in new[]
        {
            ("ptrace", Table.Ptrace), ("unshare", Table.Unshare), ("setns", Table.Setns), ("mount", Table.Mount), ("umount2", Table.Umount2),
            ("pivot_root", Table.PivotRoot), ("chroot", Table.Chroot), ("bpf", Table.Bpf), ("perf_event_open", Table.PerfEventOpen),
            ("userfaultfd", Table.Userfaultfd), ("keyctl", Table.Keyctl), ("process_vm_readv", Table.ProcessVmReadv),
            ("init_module", Table.InitModule), ("open_by_handle_at", Table.OpenByHandleAt), ("io_uring_setup", SyscallTable.IoUringSetup),
            ("io_uring_enter", SyscallTable.IoUringEnter), ("io_uring_register", SyscallTable.IoUringRegister), ("fsopen", SyscallTable.Fsopen),
            ("open_tree", SyscallTable.OpenTree), ("move_mount", SyscallTable.MoveMount), ("pidfd_getfd", SyscallTable.PidfdGetfd),
        })
            Expect(Eperm, p, name, nr, 0, 0, 0);

        Expect(Enosys, p, "clone3", SyscallTable.Clone3, 0, 88);
        Expect(Eperm, p, "clone(CLONE_NEWUSER|SIGCHLD)", Table.Clone, CloneNewuser | Sigchld, 0);
        Expect(Eperm, p, "clone(CLONE_NEWNS)", Table.Clone, CloneNewns, 0);
        Expect(Eperm, p, "clone(CLONE_NEWNET)", Table.Clone, CloneNewnet, 0);
        Expect(Allow, p, "clone(SIGCHLD)", Table.Clone, Sigchld, 0);
        Expect(Allow, p, "clone(thread flags)", Table.Clone, CloneThreadFlags, 0);

        Expect(Eperm, p, "ioctl(TIOCSTI)", Table.Ioctl, 0, Tiocsti, 0);
        Expect(Eperm, p, "ioctl(TIOCLINUX)", Table.Ioctl, 0, Tioclinux, 0);
        Expect(Eperm, p, "ioctl(TIOCSTI, high bits set)", Table.Ioctl, 0, 0xFFFFFFFF_00000000 | Tiocsti, 0); // the kernel reads 32 bits
        Expect(Allow, p, "ioctl(TCGETS)", Table.Ioctl, 0, Tcgets, 0);
        Expect(Allow, p, "ioctl(FIONREAD)", Table.Ioctl, 0, Fionread, 0);

        Expect(Allow, p, "read", Read, 0, 0, 0);
        Expect(Allow, p, "getpid", Getpid);
        Expect(Allow, p, "execve", Execve, 0, 0, 0);
        Expect(Allow, p, "capset", Table.Capset, 0, 0);
    }

    [Theory]
    [MemberData(nameof(AllOptions))]
    public void ForeignArchitectureIsKilledAndX32IsRefused(int mode, int network, bool noUnix)
    {
        var p = Sandbox((LauncherSandboxMode)mode, (LauncherNetworkMode)network, noUnix);
        foreach (uint arch in new[] { AuditArchI386, AuditArchX64, AuditArchArm64, 0u })
        {
            if (arch == Table.AuditArch) continue;
            Assert.Equal(Kill, BpfInterpreter.Run(p, arch, Read));
            Assert.Equal(Kill, BpfInterpreter.Run(p, arch, Getpid));
        }
        if (Table.X32Bit != 0)
        {
            Expect(Eperm, p, "x32 read", (int)Table.X32Bit | 0, 0, 0, 0);
            Expect(Eperm, p, "x32 getpid", (int)Table.X32Bit | 39);
            Expect(Eperm, p, "x32 socket(AF_UNIX)", (int)Table.X32Bit | 41, AfUnix, SockStream, 0);
        }
    }

    [Fact]
    public void BothTablesAssembleAndRunForEveryOption()
    {
        foreach (var table in new[] { SyscallTable.X64, SyscallTable.Arm64 })
            foreach (var row in AllOptions())
            {
                var options = new LaunchOptions { Mode = (LauncherSandboxMode)(int)row[0], Network = (LauncherNetworkMode)(int)row[1], NoUnixSockets = (bool)row[2] };
                var p = SeccompFilter.Program(table, options).ToArray();
                Assert.InRange(p.Length, 1, 4096);
                Assert.Equal(Allow, BpfInterpreter.Run(p, table.AuditArch, 100_000));
                Assert.Equal(Eperm, BpfInterpreter.Run(p, table.AuditArch, table.Ptrace));
                Assert.Equal(Kill, BpfInterpreter.Run(p, AuditArchI386, table.Ptrace));
            }
    }

    [Fact]
    public void RelayFilterAllowsOnlyUnixStreamSocketsAndNoNewProcesses()
    {
        var p = RelayConfinement.FilterProgram(Table).ToArray();
        Expect(Eperm, p, "execve", Execve, 0, 0, 0);
        Expect(Eperm, p, "execveat", Execveat, 0, 0, 0, 0, 0);
        Expect(Allow, p, "socket(AF_UNIX, SOCK_STREAM)", Table.Socket, AfUnix, SockStream, 0);
        Expect(Allow, p, "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK)", Table.Socket, AfUnix, SockStream | SockCloexec | SockNonblock, 0);
        Expect(Eperm, p, "socket(AF_UNIX, SOCK_DGRAM)", Table.Socket, AfUnix, SockDgram, 0);
        Expect(Eperm, p, "socket(AF_INET, SOCK_STREAM)", Table.Socket, AfInet, SockStream, 0);
        Expect(Eperm, p, "socket(AF_INET6, SOCK_STREAM)", Table.Socket, AfInet6, SockStream, 0);
        Expect(Eperm, p, "socketpair(AF_UNIX, SOCK_STREAM)", Table.Socketpair, AfUnix, SockStream, 0);
        Expect(Eperm, p, "bind", Table.Bind, 3, 0, 16);
        Expect(Eperm, p, "listen", Table.Listen, 3, 1);
        Expect(Allow, p, "connect", Table.Connect, 3, 0, 16);
        Expect(Eperm, p, "clone(SIGCHLD)", Table.Clone, Sigchld, 0);
        Expect(Eperm, p, "clone(0)", Table.Clone, 0, 0);
        Expect(Allow, p, "clone(thread flags)", Table.Clone, CloneThreadFlags, 0);
        Expect(Enosys, p, "clone3", SyscallTable.Clone3, 0, 88);
        if (X64)
        {
            Expect(Eperm, p, "fork", 57);
            Expect(Eperm, p, "vfork", 58);
            Expect(Eperm, p, "x32 socket", (int)Table.X32Bit | 41, AfUnix, SockStream, 0);
        }
        Expect(Allow, p, "read", Read, 0, 0, 0);
        Assert.Equal(Kill, BpfInterpreter.Run(p, AuditArchI386, Read));
    }
}
