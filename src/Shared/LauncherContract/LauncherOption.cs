namespace CodexSandbox.LauncherContract;

/// <summary>
/// The option names of codex-linux-sandbox: the engine writes them (LinuxCommandBuilder) and the launcher parses
/// them (ArgumentParser) from this one file, which is compiled into both. An option is given as "--name VALUE" or
/// "--name=VALUE"; options end at <see cref="EndOfOptions"/> or at the first argument that does not start with "--".
/// </summary>
internal static class LauncherOption
{
    public const string EndOfOptions = "--";

    public const string Help = "--help";
    /// <summary>Print a probe record (<see cref="ProbeKey"/>) on stdout and exit 0.</summary>
    public const string Probe = "--probe";

    /// <summary>A <see cref="LauncherSandboxMode"/> spelling.</summary>
    public const string Mode = "--mode";
    /// <summary>A <see cref="LauncherNetworkMode"/> spelling.</summary>
    public const string Network = "--network";
    public const string WritableRoot = "--rw";
    public const string ReadOnlyPath = "--ro";
    public const string DeniedPath = "--deny";
    /// <summary>Limit reading, listing and executing to the <see cref="ReadablePath"/> paths, the writable roots and the
    /// harmless devices (a permission profile without <c>:root</c> read). Without it the whole disk is readable.</summary>
    public const string ReadLimit = "--read-limit";
    /// <summary>With <see cref="ReadLimit"/>: a path readable (and listable and executable) with everything beneath it.</summary>
    public const string ReadablePath = "--readable";
    public const string ChangeDirectory = "--chdir";
    public const string AllowMissingLandlock = "--allow-missing-landlock";

    /// <summary>Allowlist network: a TCP port the command may connect to.</summary>
    public const string AllowTcpConnect = "--allow-tcp-connect";
    public const string NoUnixSockets = "--no-unix-sockets";
    /// <summary>
    /// AF_UNIX stream sockets may connect in the off and allowlist modes, for a caller whose mount namespace leaves only
    /// the allowed host socket files visible (the engine's bwrap layer masks the others).
    /// </summary>
    public const string AllowUnixConnect = "--allow-unix-connect";
    /// <summary>PORT=SOCKETPATH: a loopback port relayed to a host-side unix socket.</summary>
    public const string Relay = "--relay";

    public const string CpuSeconds = "--cpu-seconds";
    public const string MemoryMb = "--memory-mb";
    public const string MaxProcesses = "--max-processes";
    public const string FileSizeMb = "--file-size-mb";
    public const string OpenFiles = "--open-files";

    public const string Supervise = "--supervise";
    /// <summary>stdin is a terminal (the host's pseudo-terminal relay): after the new session is made, it becomes that
    /// session's controlling terminal (TIOCSCTTY), so Ctrl+C and job control reach the command; TIOCSTI and TIOCLINUX
    /// stay denied by seccomp.</summary>
    public const string ControllingTerminal = "--controlling-terminal";
    /// <summary>A descriptor number: the launcher writes its status record (<see cref="StatusKey"/>) there and marks
    /// it close-on-exec, so end-of-file after the record's exec outcome means the command was exec'd.</summary>
    public const string StatusFd = "--status-fd";
}
