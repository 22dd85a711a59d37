namespace CodexSandbox.Engine.Backends;

/// <summary>The proxy section of a Seatbelt or Windows plan, from the proxy ports the planner was given.</summary>
internal static class ProxyPlan
{
    /// <summary>Said in a plan made without a run: each run binds its own proxy before its plan is made.</summary>
    public const string UnboundNote = "The allowlist proxy is bound when the run starts, on two free loopback ports, and the run's plan names them; this plan, made without a run, has none";

    /// <param name="ports">The HTTP port first, then the SOCKS5 port (one port serves both when only one is given).</param>
    /// <param name="confined">True when the sandbox can reach only these ports (Seatbelt); false when nothing confines it (Windows).</param>
    public static ProxyEndpoints? For(SandboxPolicy policy, IReadOnlyList<int> ports, bool confined)
    {
        if (policy.NetworkMode != NetworkMode.Allowlist) return null;
        if (ports.Count == 0) return new ProxyEndpoints();
        return new ProxyEndpoints
        {
            HttpPort = ports[0],
            SocksPort = ports.Count > 1 ? ports[1] : ports[0],
            DirectPorts = confined ? ports.Distinct().Order().ToList() : [],
        };
    }
}
