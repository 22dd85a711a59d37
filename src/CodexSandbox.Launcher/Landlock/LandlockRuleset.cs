using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Landlock;

/// <summary>A Landlock ruleset negotiated to the running kernel's ABI: listing everywhere, reading and
/// executing everywhere but the --deny subtrees (and again in --ro paths), every write right in the
/// writable roots, read/write on the harmless devices, TCP per network mode, and the abstract-socket
/// and signal scopes. With --read-limit, listing, reading and executing only in the --readable paths,
/// the writable roots, the --ro paths and the devices. Built before the limits; only restrict_self runs after.</summary>
/// <remarks>Landlock only adds access, so "everywhere but a denied subtree" is spelled out: every
/// ancestor directory of a denied path is enumerated and each of its other entries gets its own
/// rule. Rules belong to the inodes that exist now; an entry created later directly in such an
/// ancestor directory is not readable.</remarks>
internal sealed unsafe class LandlockRuleset
{
    private const nint SysCreateRuleset = 444, SysAddRule = 445, SysRestrictSelf = 446; // same on every arch
    private const uint CreateRulesetVersion = 1;
    private const int RulePathBeneath = 1, RuleNetPort = 2;

    [StructLayout(LayoutKind.Sequential)]
    internal struct RulesetAttr { public ulong HandledAccessFs; public ulong HandledAccessNet; public ulong Scoped; }

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    internal struct PathBeneathAttr { public ulong AllowedAccess; public int ParentFd; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct NetPortAttr { public ulong AllowedAccess; public ulong Port; }

    // Always readable and writable, even under --deny /dev.
    private static readonly string[] Devices = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"];
    // The caller's terminal: only when not at or under a --deny path.
    private static readonly string[] TerminalDevices = ["/dev/tty", "/dev/pts", "/dev/ptmx"];

    private const ulong ReadRights = LandlockAccess.ReadFile | LandlockAccess.Execute;
    private const int DirentBufferSize = 32 * 1024;

    private readonly int _rulesetFd;
    private ulong _handled;

    public int Abi { get; }

    /// <summary>Path and port rules added (for the status record).</summary>
    public int RuleCount { get; private set; }

    /// <summary>TCP bind and connect are handled: denied but for the allowed ports.</summary>
    public bool HandlesNetwork { get; private init; }

    /// <summary>Signals and abstract unix sockets cannot reach outside the domain.</summary>
    public bool Scoped { get; private init; }

    /// <summary>Reading, listing and executing are limited to the readable paths (--read-limit).</summary>
    public bool LimitsReads { get; private init; }

    /// <summary>With <see cref="LimitsReads"/>: the --readable paths that existed and were granted.</summary>
    public int ReadableCount { get; private set; }

    private static string Allowlist => LauncherValue.Spell(LauncherNetworkMode.Allowlist);

    private static LauncherException Unavailable(string message) => LauncherException.Failure(LaunchErrorKind.LandlockUnavailable, message);

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
            if (options.DeniedPaths.Count > 0) throw Unavailable($"{LauncherOption.DeniedPath} needs Landlock, which this kernel does not provide");
            if (options.ReadLimit) throw Unavailable($"{LauncherOption.ReadLimit} needs Landlock, which this kernel does not provide");
            if (options.AllowMissingLandlock && options.Network != LauncherNetworkMode.Allowlist) return null;
            throw Unavailable(options.AllowMissingLandlock
                ? $"{LauncherOption.Network} {Allowlist} needs Landlock, which this kernel does not provide"
                : $"this kernel does not provide Landlock (use {LauncherOption.AllowMissingLandlock} to run without it)");
        }
        if (options.Network == LauncherNetworkMode.Allowlist && abi < 4)
            throw Unavailable($"{LauncherOption.Network} {Allowlist} needs Landlock ABI 4 or later; this kernel has ABI {abi}");

        ulong fsRights = LandlockAccess.FileSystemRights(abi);
        RulesetAttr attr = new() { HandledAccessFs = fsRights };
        if (abi >= 4 && options.Network != LauncherNetworkMode.On)
            attr.HandledAccessNet = LandlockAccess.NetBindTcp | LandlockAccess.NetConnectTcp;
        // In every network mode: a host abstract socket (X11, D-Bus, a debugger) is a door into the
        // host, not network access.
        if (abi >= 6) attr.Scoped = LandlockAccess.ScopeSignal | LandlockAccess.ScopeAbstractUnixSocket;

        int fd = (int)Libc.syscall(SysCreateRuleset, (nint)(&attr), sizeof(RulesetAttr), 0, 0, 0);
        if (fd < 0) throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "landlock_create_ruleset"u8, Libc.Errno);
        var ruleset = new LandlockRuleset(abi, fd)
        {
            _handled = fsRights,
            HandlesNetwork = attr.HandledAccessNet != 0,
            Scoped = attr.Scoped != 0,
            LimitsReads = options.ReadLimit,
        };
        DeniedPaths denied = DeniedPaths.Resolve(options.DeniedPaths);

        if (options.ReadLimit)
        {
            // Only the readable paths; deny beats read, so a path at or under a --deny gets nothing.
            foreach (byte[] path in options.ReadablePaths)
            {
                if (CanonicalPath.Resolve(LauncherOption.ReadablePath, path) is not { } readable || denied.IsAtOrUnder(readable)) continue;
                ruleset.Grant(readable, ReadRights | LandlockAccess.ReadDir, denied);
                ruleset.ReadableCount++;
            }
        }
        else
        {
            // Listing everywhere, reading and executing everywhere but the denied subtrees.
            ruleset.AddPath("/"u8.ToArray(), LandlockAccess.ReadDir, fsRights, mustExist: true);
            ruleset.Grant("/"u8.ToArray(), ReadRights, denied);
        }

        // --ro reopens a path inside a denied subtree, minus any denied path beneath it.
        foreach (byte[] path in options.ReadOnlyPaths)
            if (CanonicalPath.Resolve(LauncherOption.ReadOnlyPath, path) is { } ro) ruleset.Grant(ro, ReadRights | LandlockAccess.ReadDir, denied);

        // Writable roots: every write right on the whole root; reading minus the denied subtrees (and listing, which
        // otherwise comes from the rule on "/").
        ulong writeRights = fsRights & ~(ReadRights | LandlockAccess.ReadDir);
        ulong rootReadRights = options.ReadLimit ? ReadRights | LandlockAccess.ReadDir : ReadRights;
        foreach (byte[] path in options.WritableRoots)
        {
            if (CanonicalPath.Resolve(LauncherOption.WritableRoot, path) is not { } root) continue; // a missing root is skipped
            ruleset.AddPath(root, writeRights, fsRights, mustExist: false);
            ruleset.Grant(root, rootReadRights, denied);
        }

        ulong deviceRights = LandlockAccess.ReadFile | LandlockAccess.WriteFile | LandlockAccess.Truncate | LandlockAccess.IoctlDev | LandlockAccess.ReadDir;
        foreach (string device in Devices)
            ruleset.AddPath(System.Text.Encoding.ASCII.GetBytes(device), deviceRights, fsRights, mustExist: false);
        foreach (string device in TerminalDevices)
        {
            if (CanonicalPath.Resolve("device", System.Text.Encoding.ASCII.GetBytes(device)) is not { } terminal) continue;
            if (!denied.IsAtOrUnder(terminal)) ruleset.Grant(terminal, deviceRights, denied);
        }

        foreach (ushort port in options.AllowedTcpConnectPorts)
        {
            NetPortAttr rule = new() { AllowedAccess = LandlockAccess.NetConnectTcp, Port = port };
            if (Libc.syscall(SysAddRule, fd, RuleNetPort, (nint)(&rule), 0, 0) != 0)
                throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "landlock_add_rule(port)"u8, Libc.Errno);
            ruleset.RuleCount++;
        }
        return ruleset;
    }

    /// <summary>Grants <paramref name="rights"/> on <paramref name="path"/> (canonical) and beneath,
    /// except in the denied subtrees: a path with a denied path below it gets no rule of its own;
    /// each of its entries is granted the same way instead. Symlink entries are skipped (a rule
    /// would land on their target).</summary>
    private void Grant(byte[] path, ulong rights, DeniedPaths denied)
    {
        if (denied.IsDenied(path)) return;
        if (!denied.HasDeniedBelow(path))
        {
            AddPath(path, rights, _handled, mustExist: false);
            return;
        }
        byte[] terminated = [.. path, 0];
        int fd;
        fixed (byte* p = terminated) fd = Libc.open(p, Libc.O_PATH | PathCalls.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            if (Libc.Errno == Libc.ENOENT) return;
            throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, path, Libc.Errno);
        }
        try
        {
            GrantEntries(path, fd, rights, denied);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>Enumerates the directory <paramref name="dirFd"/> (an O_PATH descriptor of
    /// <paramref name="dirPath"/>, an ancestor of a denied path) and grants every entry that is
    /// neither denied nor a symlink; ancestors of denied paths are entered in turn. A directory
    /// that cannot be read is left without rules (its entries stay unreadable).</summary>
    private void GrantEntries(byte[] dirPath, int dirFd, ulong rights, DeniedPaths denied)
    {
        if (FileType.OfDescriptor(dirFd) != Libc.S_IFDIR) return;
        int listFd;
        fixed (byte* dot = ".\0"u8) listFd = PathCalls.openat(dirFd, dot, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (listFd < 0) return;

        // dirPath + '/' + the longest name + NUL; "/" has its separator already.
        int prefix = dirPath.Length == 1 ? 1 : dirPath.Length + 1;
        byte[] child = new byte[prefix + 256];
        dirPath.CopyTo(child, 0);
        child[prefix - 1] = (byte)'/';
        var ancestors = new List<byte[]>();
        byte[] buffer = new byte[DirentBufferSize];
        try
        {
            fixed (byte* entries = buffer)
            fixed (byte* childPath = child)
            {
                while (true)
                {
                    nint n = PathCalls.Getdents64(listFd, entries, buffer.Length);
                    if (n <= 0) break;
                    for (nint offset = 0; offset < n; offset += *(ushort*)(entries + offset + PathCalls.DirentReclenOffset))
                    {
                        byte* name = entries + offset + PathCalls.DirentNameOffset;
                        int length = Output.LineBuilder.Strlen(name);
                        if (length > 255 || (name[0] == '.' && (length == 1 || (length == 2 && name[1] == '.')))) continue;
                        new ReadOnlySpan<byte>(name, length).CopyTo(new Span<byte>(childPath + prefix, length));
                        var childSpan = new ReadOnlySpan<byte>(childPath, prefix + length);
                        if (denied.IsDenied(childSpan)) continue;
                        if (denied.HasDeniedBelow(childSpan))
                        {
                            ancestors.Add(childSpan.ToArray()); // entered after this listing is closed
                            continue;
                        }
                        int entryFd = PathCalls.openat(dirFd, name, Libc.O_PATH | PathCalls.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
                        if (entryFd < 0) continue; // gone, or not reachable: no rule, no access
                        AddEntryRule(entryFd, rights);
                        Libc.close(entryFd);
                    }
                }
            }
        }
        finally
        {
            Libc.close(listFd);
        }

        foreach (byte[] ancestor in ancestors)
        {
            byte[] name = [.. ancestor.AsSpan(prefix), 0];
            int entryFd;
            fixed (byte* p = name) entryFd = PathCalls.openat(dirFd, p, Libc.O_PATH | PathCalls.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
            if (entryFd < 0) continue;
            try
            {
                GrantEntries(ancestor, entryFd, rights, denied);
            }
            finally
            {
                Libc.close(entryFd);
            }
        }
    }

    /// <summary>A rule for one enumerated entry, unless it is a symlink. A failure leaves the entry
    /// without access, never with more.</summary>
    private void AddEntryRule(int fd, ulong rights)
    {
        int type = FileType.OfDescriptor(fd);
        if (type < 0 || type == PathCalls.S_IFLNK) return;
        rights &= _handled;
        if (type != Libc.S_IFDIR) rights &= LandlockAccess.FileRights;
        if (rights == 0) return;
        PathBeneathAttr rule = new() { AllowedAccess = rights, ParentFd = fd };
        if (Libc.syscall(SysAddRule, _rulesetFd, RulePathBeneath, (nint)(&rule), 0, 0) == 0) RuleCount++;
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
            throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, path, errno);
        }
        try
        {
            int type = FileType.OfDescriptor(fd);
            if (type < 0) throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, path, -type);
            rights &= handled;
            if (type != Libc.S_IFDIR) rights &= LandlockAccess.FileRights;
            if (rights == 0) return; // e.g. listing asked for on a file
            PathBeneathAttr rule = new() { AllowedAccess = rights, ParentFd = fd };
            if (Libc.syscall(SysAddRule, _rulesetFd, RulePathBeneath, (nint)(&rule), 0, 0) != 0)
                throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, path, Libc.Errno);
            RuleCount++;
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>Enforces the ruleset on this thread (inherited across execve). Needs no_new_privs.</summary>
    public bool Restrict() => RestrictSelf(_rulesetFd);

    /// <summary>landlock_restrict_self with <paramref name="rulesetFd"/>, then closes it; on failure prints one line.</summary>
    public static bool RestrictSelf(int rulesetFd)
    {
        if (Libc.syscall(SysRestrictSelf, rulesetFd, 0, 0, 0, 0) != 0)
        {
            Diagnostics.ErrorErrno("landlock_restrict_self"u8, Libc.Errno);
            return false;
        }
        Libc.close(rulesetFd);
        return true;
    }
}
