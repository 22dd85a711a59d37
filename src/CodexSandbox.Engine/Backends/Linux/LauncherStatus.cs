using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>What the launcher reported on its status descriptor (<see cref="StatusKey"/>): what it applied right before
/// it exec'd the command, or why it refused. <see cref="LauncherEnforcement"/> turns it into the result's protections.</summary>
internal sealed record LauncherStatus
{
    /// <summary>The descriptor number the launcher gets its status pipe at (<c>--status-fd 3</c>).</summary>
    public const int Descriptor = 3;

    /// <summary>True when the last outcome was the exec: the command ran under what this record lists.</summary>
    public bool Executed { get; init; }
    /// <summary>Why the launcher refused; null when it exec'd, or for a kind this engine does not know (<see cref="ErrorName"/>).</summary>
    public LaunchErrorKind? Error { get; init; }
    public string? ErrorName { get; init; }
    public string? Message { get; init; }

    public bool Supervised { get; init; }
    public bool Landlock { get; init; }
    public int LandlockAbi { get; init; }
    public int LandlockRules { get; init; }
    public bool LandlockNetwork { get; init; }
    public bool LandlockScope { get; init; }
    /// <summary>True when the ruleset limited reading, listing and executing to the readable paths.</summary>
    public bool ReadLimit { get; init; }
    /// <summary>With <see cref="ReadLimit"/>: the readable paths that existed and were granted.</summary>
    public int ReadableRoots { get; init; }
    public bool Seccomp { get; init; }
    /// <summary>The network part of the seccomp filter; null when the record does not say.</summary>
    public LauncherNetworkMode? SeccompNetwork { get; init; }
    public bool SeccompMetadata { get; init; }
    public bool NoUnixSockets { get; init; }
    public bool NoNewPrivileges { get; init; }
    public bool Capabilities { get; init; }
    public bool BoundingSet { get; init; }
    public bool NewSession { get; init; }
    public bool Descriptors { get; init; }
    /// <summary>The resource limits applied: name (<see cref="StatusKey.RlimitCore"/> …) to soft limit.</summary>
    public IReadOnlyDictionary<string, ulong> Limits { get; init; } = new Dictionary<string, ulong>();

    /// <summary>The status in <paramref name="text"/>; null when it holds no record.</summary>
    public static LauncherStatus? Parse(string? text)
    {
        if (LauncherRecord.Parse(text) is not { } record) return null;
        bool executed = record.Text(StatusKey.Outcome) == StatusKey.Exec;
        string? errorName = executed ? null : record.Text(StatusKey.Error);
        return new LauncherStatus
        {
            Executed = executed,
            ErrorName = errorName,
            Error = errorName is not null && Enum.TryParse<LaunchErrorKind>(errorName, ignoreCase: false, out var kind) && Enum.IsDefined(kind) ? kind : null,
            Message = executed ? null : record.Text(StatusKey.Message),
            Supervised = record.Flag(StatusKey.Supervisor),
            Landlock = record.Flag(StatusKey.Landlock),
            LandlockAbi = (int)record.Number(StatusKey.LandlockAbi),
            LandlockRules = (int)record.Number(StatusKey.LandlockRules),
            LandlockNetwork = record.Flag(StatusKey.LandlockNetwork),
            LandlockScope = record.Flag(StatusKey.LandlockScope),
            ReadLimit = record.Flag(StatusKey.ReadLimit),
            ReadableRoots = (int)record.Number(StatusKey.ReadableRoots),
            Seccomp = record.Flag(StatusKey.Seccomp),
            SeccompNetwork = LauncherValue.NetworkModes.Where(m => LauncherValue.Spell(m) == record.Text(StatusKey.SeccompNetwork)).Cast<LauncherNetworkMode?>().FirstOrDefault(),
            SeccompMetadata = record.Flag(StatusKey.SeccompMetadata),
            NoUnixSockets = record.Flag(StatusKey.NoUnixSockets),
            NoNewPrivileges = record.Flag(StatusKey.NoNewPrivileges),
            Capabilities = record.Flag(StatusKey.Capabilities),
            BoundingSet = record.Flag(StatusKey.BoundingSet),
            NewSession = record.Flag(StatusKey.NewSession),
            Descriptors = record.Flag(StatusKey.Descriptors),
            Limits = record.Numbers(StatusKey.RlimitPrefix),
        };
    }
}
