namespace CodexSandbox.Launcher.Landlock;

/// <summary>Landlock access-right bits (uapi linux/landlock.h) and which ABI introduced them.</summary>
internal static class LandlockAccess
{
    public const ulong Execute = 1UL << 0, WriteFile = 1UL << 1, ReadFile = 1UL << 2, ReadDir = 1UL << 3;
    public const ulong RemoveDir = 1UL << 4, RemoveFile = 1UL << 5, MakeChar = 1UL << 6, MakeDir = 1UL << 7;
    public const ulong MakeReg = 1UL << 8, MakeSock = 1UL << 9, MakeFifo = 1UL << 10, MakeBlock = 1UL << 11;
    public const ulong MakeSym = 1UL << 12, Refer = 1UL << 13, Truncate = 1UL << 14, IoctlDev = 1UL << 15;

    /// <summary>Rights that may be granted on a rule whose path is not a directory.</summary>
    public const ulong FileRights = Execute | WriteFile | ReadFile | Truncate | IoctlDev;

    public const ulong NetBindTcp = 1UL << 0, NetConnectTcp = 1UL << 1;
    public const ulong ScopeAbstractUnixSocket = 1UL << 0, ScopeSignal = 1UL << 1;

    /// <summary>Every filesystem right the given ABI knows (ABI 1: bits 0-12, 2: REFER, 3: TRUNCATE, 5: IOCTL_DEV).</summary>
    public static ulong FileSystemRights(int abi) => abi switch
    {
        <= 0 => 0,
        1 => (1UL << 13) - 1,
        2 => (1UL << 14) - 1,
        3 or 4 => (1UL << 15) - 1,
        _ => (1UL << 16) - 1,
    };
}
