using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Landlock;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Privileges;
using CodexSandbox.Launcher.Relay;
using CodexSandbox.Launcher.Seccomp;

namespace CodexSandbox.Launcher.Tests.Native;

/// <summary>Every struct the launcher hands to the kernel or libc has the size and field offsets of
/// the C definition on the 64-bit Linux ABIs it supports (x86_64 and aarch64 agree on all of these).</summary>
public sealed class StructLayoutTests
{
    private static void AssertLayout<T>(int size, params (string Field, int Offset)[] fields) where T : unmanaged
    {
        Assert.True(size == Unsafe.SizeOf<T>(), $"{typeof(T).Name}: sizeof {Unsafe.SizeOf<T>()}, the C struct has {size}");
        Assert.True(size == Marshal.SizeOf<T>(), $"{typeof(T).Name}: Marshal.SizeOf {Marshal.SizeOf<T>()}, the C struct has {size}");
        var declared = typeof(T).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic);
        Assert.Equal(fields.Select(f => f.Field).Order(), declared.Select(f => f.Name).Order());
        foreach (var (field, offset) in fields)
            Assert.True(offset == (int)Marshal.OffsetOf<T>(field), $"{typeof(T).Name}.{field}: offset {Marshal.OffsetOf<T>(field)}, the C struct has {offset}");
    }

    [Fact]
    public void SeccompStructs()
    {
        // struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }
        AssertLayout<BpfProgram.SockFilter>(8, ("Code", 0), ("Jt", 2), ("Jf", 3), ("K", 4));
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; } (pointer aligned to 8)
        AssertLayout<BpfProgram.SockFprog>(16, ("Length", 0), ("Filter", 8));
        // struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }
        Assert.Equal(0u, BpfProgram.OffsetNr);
        Assert.Equal(4u, BpfProgram.OffsetArch);
        Assert.Equal(16u, BpfProgram.OffsetArgLow(0));
        Assert.Equal(56u, BpfProgram.OffsetArgLow(5));
    }

    [Fact]
    public void LandlockStructs()
    {
        // struct landlock_ruleset_attr { __u64 handled_access_fs; __u64 handled_access_net; __u64 scoped; }
        AssertLayout<LandlockRuleset.RulesetAttr>(24, ("HandledAccessFs", 0), ("HandledAccessNet", 8), ("Scoped", 16));
        AssertLayout<RelayConfinement.RulesetAttr>(24, ("HandledAccessFs", 0), ("HandledAccessNet", 8), ("Scoped", 16));
        // struct landlock_path_beneath_attr { __u64 allowed_access; __s32 parent_fd; } __attribute__((packed))
        AssertLayout<LandlockRuleset.PathBeneathAttr>(12, ("AllowedAccess", 0), ("ParentFd", 8));
        // struct landlock_net_port_attr { __u64 allowed_access; __u64 port; }
        AssertLayout<LandlockRuleset.NetPortAttr>(16, ("AllowedAccess", 0), ("Port", 8));
    }

    [Fact]
    public void CapabilityStructs()
    {
        // struct __user_cap_header_struct { __u32 version; int pid; }
        AssertLayout<PrivilegeDrop.CapHeader>(8, ("Version", 0), ("Pid", 4));
        // struct __user_cap_data_struct { __u32 effective; __u32 permitted; __u32 inheritable; } (two for version 3)
        AssertLayout<PrivilegeDrop.CapData>(12, ("Effective", 0), ("Permitted", 4), ("Inheritable", 8));
    }

    [Fact]
    public void LibcStructs()
    {
        // struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; } (rlim_t is 64-bit)
        AssertLayout<RLimit>(16, ("Current", 0), ("Maximum", 8));
        // struct timespec { time_t tv_sec; long tv_nsec; }
        AssertLayout<TimeSpec>(16, ("Seconds", 0), ("Nanoseconds", 8));
        // struct pollfd { int fd; short events; short revents; }
        AssertLayout<PollFd>(8, ("Fd", 0), ("Events", 4), ("Revents", 6));
        // struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; unsigned char sin_zero[8]; }
        AssertLayout<SockAddrIn>(16, ("Family", 0), ("PortBigEndian", 2), ("AddressBigEndian", 4), ("Zero", 8));
    }

    [Fact]
    public void RawBufferOffsets()
    {
        // struct statx: stx_mask u32 @0, stx_blksize u32 @4, stx_attributes u64 @8, stx_nlink u32 @16,
        // stx_uid u32 @20, stx_gid u32 @24, stx_mode u16 @28; the whole struct is 256 bytes.
        Assert.Equal(28, Libc.StatxModeOffset);
        Assert.Equal(256, Libc.StatxSize);
        // struct linux_dirent64 (getdents64) and glibc's struct dirent: u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; d_name.
        Assert.Equal(16, PathCalls.DirentReclenOffset);
        Assert.Equal(19, PathCalls.DirentNameOffset);
        Assert.Equal(19, Posix.DirentNameOffset);
        // siginfo_t (64-bit): si_signo, si_errno, si_code, 4 bytes padding, then si_pid.
        Assert.Equal(16, Posix.SigInfoPidOffset);
        // glibc sizes the buffers must cover: sigset_t 128, posix_spawnattr_t 336, posix_spawn_file_actions_t 80,
        // struct sigaction 152, siginfo_t 128.
        Assert.InRange(Posix.SigSetBytes, 128, int.MaxValue);
        Assert.InRange(Posix.SpawnAttrBytes, 336, int.MaxValue);
        Assert.InRange(Posix.FileActionsBytes, 80, int.MaxValue);
        Assert.InRange(Posix.SigActionBytes, 152, int.MaxValue);
        Assert.InRange(Posix.SigInfoBytes, 128, int.MaxValue);
    }
}
