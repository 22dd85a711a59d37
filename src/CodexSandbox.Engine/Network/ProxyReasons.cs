namespace CodexSandbox.Engine.Network;

/// <summary>The reason codes of <see cref="NetworkDecision.Reason"/>; the blocked ones are also the <c>X-Proxy-Error</c> header values.</summary>
public static class ProxyReasons
{
    public const string Allowed = "allowed";
    public const string BlockedByAllowlist = "blocked-by-allowlist";
    public const string BlockedByDenylist = "blocked-by-denylist";
    public const string BlockedByPrivateAddress = "blocked-by-private-address";
    public const string BlockedUdp = "blocked-udp";
    public const string InvalidHost = "invalid-host";
    public const string ResolveFailed = "resolve-failed";
    /// <summary>Limited mode: a plain-HTTP method other than GET, HEAD or OPTIONS, or an Upgrade (Codex's header value).</summary>
    public const string BlockedByMethodPolicy = "blocked-by-method-policy";
    /// <summary>Limited mode: a CONNECT or SOCKS5 tunnel, which only TLS interception could check (Codex's header value).</summary>
    public const string BlockedByMitmRequired = "blocked-by-mitm-required";
}
