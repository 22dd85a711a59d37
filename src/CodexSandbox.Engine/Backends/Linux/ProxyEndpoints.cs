namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>The running allowlist proxy, as a Linux launch needs it.</summary>
/// <param name="DirectPorts">The TCP ports the sandbox may connect to: the proxy's and <c>allowed_ports</c>.</param>
/// <param name="Relays">With a private network namespace: each port inside and the host-side unix socket it is relayed to.</param>
/// <param name="SocketFolder">The host folder holding those sockets, mounted into the sandbox; null without a namespace.</param>
public sealed record ProxyEndpoints(IReadOnlyList<int> DirectPorts, IReadOnlyList<(int Port, string Socket)> Relays, string? SocketFolder);
