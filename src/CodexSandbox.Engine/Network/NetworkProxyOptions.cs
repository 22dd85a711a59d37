using System.Net;

namespace CodexSandbox.Engine.Network;

/// <summary>Limits and hooks of a <see cref="NetworkProxy"/>. The defaults suit one sandboxed command.</summary>
public sealed class NetworkProxyOptions
{
    /// <summary>Resolves a host name to addresses. Injectable so tests can point a name at a private address (DNS rebinding).</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> Resolver { get; init; } = (host, ct) => Dns.GetHostAddressesAsync(host, ct);
    /// <summary>Time a client has to send the request head (or the SOCKS handshake).</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Time for the name lookup plus the TCP connect upstream.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A connection with no bytes in either direction for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Largest request head (request line plus headers) accepted; larger gets 431.</summary>
    public int MaxHeaderBytes { get; init; } = 32 * 1024;
    /// <summary>Connections served at once, both listeners together; more are closed on accept.</summary>
    public int MaxConnections { get; init; } = 256;

}
