using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Cli;

/// <summary>The parsed command line. Paths are kept as raw bytes so non-UTF-8 names survive.</summary>
internal sealed class LaunchOptions
{
    public bool Help { get; set; }
    public bool Probe { get; set; }
    public LauncherSandboxMode Mode { get; set; } = LauncherSandboxMode.ReadOnly;
    public LauncherNetworkMode Network { get; set; } = LauncherNetworkMode.Off;
    public List<byte[]> WritableRoots { get; } = [];
    /// <summary>--ro: readable again inside a --deny subtree.</summary>
    public List<byte[]> ReadOnlyPaths { get; } = [];
    /// <summary>--deny: neither readable nor executable (listing stays).</summary>
    public List<byte[]> DeniedPaths { get; } = [];
    /// <summary>--read-limit: reading, listing and executing only in <see cref="ReadablePaths"/>, the writable roots, the
    /// --ro paths and the devices.</summary>
    public bool ReadLimit { get; set; }
    /// <summary>--readable: readable, listable and executable with --read-limit.</summary>
    public List<byte[]> ReadablePaths { get; } = [];
    public List<ushort> AllowedTcpConnectPorts { get; } = [];
    public ulong? CpuSeconds { get; set; }
    public ulong? MemoryMb { get; set; }
    public ulong? MaxProcesses { get; set; }
    public ulong? FileSizeMb { get; set; }
    public ulong? OpenFiles { get; set; }
    public byte[]? WorkingDirectory { get; set; }
    public bool AllowMissingLandlock { get; set; }
    /// <summary>seccomp refuses socket(AF_UNIX, ...) (socketpair stays allowed).</summary>
    public bool NoUnixSockets { get; set; }
    /// <summary>seccomp lets AF_UNIX stream sockets connect with --network off or allowlist (the caller hides the host's sockets).</summary>
    public bool AllowUnixConnect { get; set; }

    /// <summary>--status-fd: where the status record goes; null for none.</summary>
    public int? StatusFd { get; set; }

    public bool Supervise { get; set; }

    /// <summary>--controlling-terminal: stdin becomes the controlling terminal of the command's new session.</summary>
    public bool ControllingTerminal { get; set; }

    /// <summary>Where --supervise and --status-fd (with its value) stood in the arguments: they belong to this
    /// copy, so the supervised copy gets the arguments without them (and its own --status-fd).</summary>
    public List<int> OwnArgumentIndexes { get; } = [];

    /// <summary>--relay PORT=SOCKETPATH, in the order given.</summary>
    public List<Relay.RelaySpec> Relays { get; } = [];

    /// <summary>PROGRAM followed by its arguments.</summary>
    public List<byte[]> Command { get; } = [];
}
