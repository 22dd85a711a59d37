using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;

namespace CodexSandbox.Launcher.Landlock;

/// <summary>A Landlock ruleset negotiated to the running kernel's ABI: read/execute everywhere, every
/// right in the writable roots, read/write on the harmless devices, TCP per network mode, and the
/// abstract-socket and signal scopes. Built before the limits; only restrict_self runs after.</summary>
internal sealed unsafe class LandlockRuleset
{
    private const nint SysCreateRuleset = 444, SysAddRule = 445, SysRestrictSelf = 446; // same on every arch
    private const uint CreateRulesetVersion = 1;
    private const int RulePathBeneath = 1, RuleNetPort = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct RulesetAttr { public ulong HandledAccessFs; public ulong HandledAccessNet; public ulong Scoped; }

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct PathBeneathAttr { public ulong AllowedAccess; public int ParentFd; }

    [StructLayout(LayoutKind.Sequential)]
    private struct NetPortAttr { public ulong AllowedAccess; public ulong Port; }

    private static readonly string[] Devices =
        ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/pts", "/dev/ptmx"];

    private readonly int _rulesetFd;

    public int Abi { get; }

    /// <summary>The kernel's Landlock ABI version, or 0 when Landlock is missing or disabled.</summary>
    public static int QueryAbi()
    {
        nint abi = Libc.syscall(SysCreateRuleset, 0, 0, (nint)CreateRulesetVersion, 0, 0);
        return abi < 0 ? 0 : (int)abi;
    }

    private LandlockRuleset(int abi, int fd)
    {
        Abi = abi;
        _rulesetFd = fd;
    }

    /// <summary>Creates and fills the ruleset, or returns null when the kernel has no Landlock and
    /// the caller allowed that. Throws <see cref="LauncherException"/> on any other problem.</summary>
    public static LandlockRuleset? Create(LaunchOptions options)
    {
        int abi = QueryAbi();
        if (abi <= 0)
        {
            if (options.AllowMissingLandlock && options.Network != NetworkMode.Proxy) return null;
            throw LauncherException.Usage(options.AllowMissingLandlock
                ? "--network proxy needs Landlock, which this kernel does not provide"
                : "this kernel does not provide Landlock (use --allow-missing-landlock to run without it)");
        }
        if (options.Network == NetworkMode.Proxy && abi < 4)
            throw LauncherException.Usage($"--network proxy needs Landlock ABI 4 or later; this kernel has ABI {abi}");

        ulong fsRights = LandlockAccess.FileSystemRights(abi);
        RulesetAttr attr = new() { HandledAccessFs = fsRights };
        if (abi >= 4 && options.Network != NetworkMode.On)
            attr.HandledAccessNet = LandlockAccess.NetBindTcp | LandlockAccess.NetConnectTcp;
        // In every network mode: a host abstract socket (X11, D-Bus, a debugger) is a door into the
        // host, not network access.
        if (abi >= 6) attr.Scoped = LandlockAccess.ScopeSignal | LandlockAccess.ScopeAbstractUnixSocket;

        int fd = (int)Libc.syscall(SysCreateRuleset, (nint)(&attr), sizeof(RulesetAttr), 0, 0, 0);
        if (fd < 0) throw LauncherException.FromErrno(LauncherException.LauncherError, "landlock_create_ruleset"u8, Libc.Errno);
        var ruleset = new LandlockRuleset(abi, fd);

        ruleset.AddPath("/"u8.ToArray(), LandlockAccess.ReadFile | LandlockAccess.ReadDir | LandlockAccess.Execute, fsRights, mustExist: true);
        foreach (var root in options.WritableRoots) ruleset.AddPath(root, fsRights, fsRights, mustExist: false);

        ulong deviceRights = LandlockAccess.ReadFile | LandlockAccess.WriteFile | LandlockAccess.Truncate | LandlockAccess.IoctlDev | LandlockAccess.ReadDir;
        foreach (string device in Devices)
            ruleset.AddPath(System.Text.Encoding.ASCII.GetBytes(device), deviceRights, fsRights, mustExist: false);

        foreach (ushort port in options.AllowedTcpConnectPorts)
        {
            NetPortAttr rule = new() { AllowedAccess = LandlockAccess.NetConnectTcp, Port = port };
            if (Libc.syscall(SysAddRule, fd, RuleNetPort, (nint)(&rule), 0, 0) != 0)
                throw LauncherException.FromErrno(LauncherException.LauncherError, "landlock_add_rule(port)"u8, Libc.Errno);
        }
        return ruleset;
    }

    private void AddPath(byte[] path, ulong rights, ulong handled, bool mustExist)
    {
        byte[] terminated = [.. path, 0];
        int fd;
        fixed (byte* p = terminated) fd = Libc.open(p, Libc.O_PATH | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Libc.Errno;
            // A root that does not exist has nothing to protect or to write into; skipping it only
            // removes access, as Codex does for missing writable roots.
            if (!mustExist && errno == Libc.ENOENT) return;
            throw LauncherException.FromErrno(LauncherException.LauncherError, path, errno);
        }
        try
        {
            int type = FileType.OfDescriptor(fd);
            if (type < 0) throw LauncherException.FromErrno(LauncherException.LauncherError, path, -type);
            rights &= handled;
            if (type != Libc.S_IFDIR) rights &= LandlockAccess.FileRights;
            PathBeneathAttr rule = new() { AllowedAccess = rights, ParentFd = fd };
            if (Libc.syscall(SysAddRule, _rulesetFd, RulePathBeneath, (nint)(&rule), 0, 0) != 0)
                throw LauncherException.FromErrno(LauncherException.LauncherError, path, Libc.Errno);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>Enforces the ruleset on this thread (inherited across execve). Needs no_new_privs.</summary>
    public bool Restrict()
    {
        if (Libc.syscall(SysRestrictSelf, _rulesetFd, 0, 0, 0, 0) != 0)
        {
            Diagnostics.ErrorErrno("landlock_restrict_self"u8, Libc.Errno);
            return false;
        }
        Libc.close(_rulesetFd);
        return true;
    }
}
