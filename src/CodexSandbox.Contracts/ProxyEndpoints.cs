namespace CodexSandbox;

/// <summary>
/// The allowlist proxy a launch plan sends the sandbox's traffic through, and the ports the sandbox may connect to.
/// Each run binds its own proxy on free loopback ports before its plan is made, so the plan a run shows and uses
/// names them; a plan made without a run (<c>Get-SandboxPolicy -TargetPlatform</c>) has none bound yet.
/// </summary>
public sealed record ProxyEndpoints
{
    /// <summary>The proxy's HTTP port on 127.0.0.1; null while no proxy is bound.</summary>
    public int? HttpPort { get; init; }
    /// <summary>The proxy's SOCKS5 port on 127.0.0.1; null while no proxy is bound.</summary>
    public int? SocksPort { get; init; }
    /// <summary>The TCP ports the sandbox may connect to: the proxy's two and <c>allowed_ports</c>.</summary>
    public IReadOnlyList<int> DirectPorts { get; init => field = TextList<int>.From(value); } = TextList<int>.Empty;
    /// <summary>With a private network namespace: each port inside and the host-side unix socket it is relayed to.</summary>
    public IReadOnlyList<ProxyRelay> Relays { get; init => field = TextList<ProxyRelay>.From(value); } = TextList<ProxyRelay>.Empty;
    /// <summary>The host folder holding those sockets, mounted into the sandbox; null without a namespace.</summary>
    public string? SocketFolder { get; init; }

    /// <summary>True when a proxy listens on <see cref="HttpPort"/> and <see cref="SocksPort"/>.</summary>
    public bool Bound => HttpPort is not null && SocksPort is not null;

    public override string ToString() => Bound
        ? $"127.0.0.1 port {HttpPort} (HTTP) and {SocksPort} (SOCKS5)"
        : "127.0.0.1, two free ports chosen when the run starts";
}
