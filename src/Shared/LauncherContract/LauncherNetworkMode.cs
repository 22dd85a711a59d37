namespace CodexSandbox.LauncherContract;

/// <summary>The launcher's network policy (<see cref="LauncherOption.Network"/>); spelled by <see cref="LauncherValue"/>.</summary>
internal enum LauncherNetworkMode
{
    /// <summary>No sockets but AF_UNIX, no connect or bind at all.</summary>
    Off,
    /// <summary>TCP connect only to the <see cref="LauncherOption.AllowTcpConnect"/> ports (the allowlist proxy's).</summary>
    Allowlist,
    /// <summary>Unrestricted.</summary>
    On,
}
