namespace CodexSandbox.Engine.Network;

/// <summary>The TCP ports an allowlist-mode sandbox may connect to directly (the launcher turns them into Landlock connect rules).</summary>
public static class DirectPorts
{
    /// <summary>
    /// The proxy ports plus <c>allowed_ports</c>, sorted, without duplicates or out-of-range values. Landlock connect rules
    /// are by port only, not by address, so an allowed port is reachable on every host; keep <c>allowed_ports</c> short.
    /// </summary>
    public static IReadOnlyList<int> For(NetworkPolicySettings settings, params int[] proxyPorts)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return proxyPorts.Concat(settings.AllowedPorts).Where(p => p is >= 1 and <= 65535).Distinct().Order().ToArray();
    }

    /// <summary>The ports for a running proxy.</summary>
    public static IReadOnlyList<int> For(NetworkPolicySettings settings, NetworkProxy proxy) =>
        For(settings, proxy.HttpPort, proxy.SocksPort);
}
