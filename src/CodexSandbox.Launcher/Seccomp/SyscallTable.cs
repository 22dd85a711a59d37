using System.Runtime.InteropServices;

namespace CodexSandbox.Launcher.Seccomp;

/// <summary>Syscall numbers the filter names, per architecture (-1: the architecture has no such
/// call, e.g. aarch64 only has the *at forms). Calls added since Linux 5.1 share one number everywhere.</summary>
internal sealed class SyscallTable
{
    public required string Name { get; init; }
    public required uint AuditArch { get; init; }
    /// <summary>x86_64 only: the x32 ABI marks its calls with this bit; they are refused outright.</summary>
    public uint X32Bit { get; init; }

    public required int Socket, Socketpair, Connect, Bind, Listen, Accept, Accept4, Sendto, Sendmsg, Sendmmsg;
    public required int Ioctl, Clone, Unshare, Setns, Ptrace, ProcessVmReadv, ProcessVmWritev;
    public required int Mount, Umount2, PivotRoot, Chroot, Keyctl, AddKey, RequestKey, Bpf, PerfEventOpen, Userfaultfd;
    public required int KexecLoad, KexecFileLoad, InitModule, FinitModule, DeleteModule, OpenByHandleAt;
    public required int Chmod, Fchmod, Fchmodat, Chown, Fchown, Lchown, Fchownat, Utime, Utimes, Utimensat, Futimesat;
    public required int Setxattr, Lsetxattr, Fsetxattr, Removexattr, Lremovexattr, Fremovexattr;
    public required int Capset, SeccompCall;

    // Unified numbers (asm-generic, shared by x86_64 and aarch64).
    public const int IoUringSetup = 425, IoUringEnter = 426, IoUringRegister = 427, OpenTree = 428, MoveMount = 429;
    public const int Fsopen = 430, Fsconfig = 431, Fsmount = 432, Fspick = 433, Clone3 = 435, PidfdGetfd = 438;
    public const int MountSetattr = 442, Fchmodat2 = 452, Setxattrat = 463, Removexattrat = 466, OpenTreeAttr = 467;
    public const int FileSetattr = 469;

    public static readonly SyscallTable X64 = new()
    {
        Name = "x86_64", AuditArch = 0xC000003E, X32Bit = 0x40000000,
        Socket = 41, Socketpair = 53, Connect = 42, Bind = 49, Listen = 50, Accept = 43, Accept4 = 288,
        Sendto = 44, Sendmsg = 46, Sendmmsg = 307,
        Ioctl = 16, Clone = 56, Unshare = 272, Setns = 308, Ptrace = 101, ProcessVmReadv = 310, ProcessVmWritev = 311,
        Mount = 165, Umount2 = 166, PivotRoot = 155, Chroot = 161, Keyctl = 250, AddKey = 248, RequestKey = 249,
        Bpf = 321, PerfEventOpen = 298, Userfaultfd = 323,
        KexecLoad = 246, KexecFileLoad = 320, InitModule = 175, FinitModule = 313, DeleteModule = 176, OpenByHandleAt = 304,
        Chmod = 90, Fchmod = 91, Fchmodat = 268, Chown = 92, Fchown = 93, Lchown = 94, Fchownat = 260,
        Utime = 132, Utimes = 235, Utimensat = 280, Futimesat = 261,
        Setxattr = 188, Lsetxattr = 189, Fsetxattr = 190, Removexattr = 197, Lremovexattr = 198, Fremovexattr = 199,
        Capset = 126, SeccompCall = 317,
    };

    public static readonly SyscallTable Arm64 = new()
    {
        Name = "aarch64", AuditArch = 0xC00000B7,
        Socket = 198, Socketpair = 199, Connect = 203, Bind = 200, Listen = 201, Accept = 202, Accept4 = 242,
        Sendto = 206, Sendmsg = 211, Sendmmsg = 269,
        Ioctl = 29, Clone = 220, Unshare = 97, Setns = 268, Ptrace = 117, ProcessVmReadv = 270, ProcessVmWritev = 271,
        Mount = 40, Umount2 = 39, PivotRoot = 41, Chroot = 51, Keyctl = 219, AddKey = 217, RequestKey = 218,
        Bpf = 280, PerfEventOpen = 241, Userfaultfd = 282,
        KexecLoad = 104, KexecFileLoad = 294, InitModule = 105, FinitModule = 273, DeleteModule = 106, OpenByHandleAt = 265,
        Chmod = -1, Fchmod = 52, Fchmodat = 53, Chown = -1, Fchown = 55, Lchown = -1, Fchownat = 54,
        Utime = -1, Utimes = -1, Utimensat = 88, Futimesat = -1,
        Setxattr = 5, Lsetxattr = 6, Fsetxattr = 7, Removexattr = 14, Lremovexattr = 15, Fremovexattr = 16,
        Capset = 91, SeccompCall = 277,
    };

    /// <summary>The table for the architecture this binary runs on, or null when unsupported.</summary>
    public static SyscallTable? ForCurrentProcess() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X64,
        Architecture.Arm64 => Arm64,
        _ => null,
    };
}
