namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>Inputs of the Seatbelt plan that do not come from the policy.</summary>
public sealed class SeatbeltPlannerOptions
{
    /// <summary>Loopback ports of the allowlist proxy; the only network destinations in Allowlist mode.</summary>
    public IReadOnlyList<int> ProxyPorts { get; init; } = [];

    /// <summary>
    /// <c>confstr(_CS_DARWIN_USER_CACHE_DIR)</c>. When null it is read from the system on macOS; on other
    /// systems the plan shows <see cref="DarwinUserCacheDirUnresolved"/> and says so in its notes.
    /// </summary>
    public string? DarwinUserCacheDir { get; init; }

    /// <summary>Resolve symlinks on the real file system (default: only when running on macOS).</summary>
    public bool ResolveSymlinks { get; init; } = OperatingSystem.IsMacOS();

    /// <summary>The value shown for the cache folder in plans made away from a Mac.</summary>
    public const string DarwinUserCacheDirUnresolved = "<confstr(_CS_DARWIN_USER_CACHE_DIR) of the user on the Mac>";
}
