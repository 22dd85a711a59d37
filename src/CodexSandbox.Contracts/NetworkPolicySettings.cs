namespace CodexSandbox;

/// <summary>
/// The <c>[sandbox_network]</c> table of config.toml: <c>mode</c>, <c>allowed_domains</c>, <c>denied_domains</c>,
/// <c>allowed_ports</c> and <c>allow_local_binding</c>.
/// </summary>
public sealed record NetworkPolicySettings
{
    /// <summary><c>off</c>, <c>allowlist</c> (through the loopback proxy) or <c>on</c>.</summary>
    public NetworkMode Mode { get; init; } = NetworkMode.Off;
    /// <summary>Host patterns the proxy lets through: <c>example.com</c>, <c>*.example.com</c> (subdomains only), <c>**.example.com</c> (the apex and its subdomains), or an IP literal. Empty allows nothing.</summary>
    public IReadOnlyList<string> AllowedDomains { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Host patterns always refused; deny beats allow.</summary>
    public IReadOnlyList<string> DeniedDomains { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>TCP ports the sandbox may connect to directly, without the proxy (for example a local database).</summary>
    public IReadOnlyList<int> AllowedPorts { get; init => field = TextList<int>.From(value); } = TextList<int>.Empty;
    /// <summary>Let allowed hosts resolve to loopback, private, link-local and CGNAT addresses (never to cloud metadata addresses).</summary>
    public bool AllowLocalBinding { get; init; }
    /// <summary>
    /// Codex's <c>mode = "limited"</c>: only GET, HEAD and OPTIONS pass, for plain HTTP; CONNECT and SOCKS5 tunnels are
    /// refused, because the proxy does not intercept TLS and so cannot see the method inside them.
    /// </summary>
    public bool Limited { get; init; }
}
