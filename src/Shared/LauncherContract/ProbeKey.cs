namespace CodexSandbox.LauncherContract;

/// <summary>The keys of the probe record <see cref="LauncherOption.Probe"/> prints: what this kernel lets the
/// launcher enforce, as the launcher itself sees it. Booleans are <see cref="RecordFormat.Yes"/> or <see cref="RecordFormat.No"/>.</summary>
internal static class ProbeKey
{
    /// <summary>The launcher's version.</summary>
    public const string Version = "version";
    /// <summary>x86_64, aarch64, or unsupported.</summary>
    public const string Architecture = "arch";
    public const string Kernel = "kernel";
    public const string Uid = "uid";
    /// <summary>The kernel's Landlock ABI; 0 for none.</summary>
    public const string LandlockAbi = StatusKey.LandlockAbi;
    public const string LandlockFilesystem = "landlock_fs";
    public const string LandlockTruncate = "landlock_truncate";
    public const string LandlockTcp = "landlock_tcp";
    public const string LandlockIoctlDev = "landlock_ioctl_dev";
    public const string LandlockScope = StatusKey.LandlockScope;
    /// <summary>Yes when seccomp filters can be installed.</summary>
    public const string Seccomp = StatusKey.Seccomp;
    /// <summary>0: no filter yet; 2: the launcher already runs under one (a container's); ours stacks on top.</summary>
    public const string SeccompMode = "seccomp_mode";
    public const string NoNewPrivileges = StatusKey.NoNewPrivileges;
    /// <summary>No for uid 0, which the kernel exempts from RLIMIT_NPROC.</summary>
    public const string NprocLimitEnforced = "nproc_limit_enforced";
    /// <summary>Yes when Landlock and seccomp can both be applied.</summary>
    public const string Enforceable = "enforceable";
}
