namespace CodexSandbox;

/// <summary>
/// One decision of the allowlist proxy about one outbound connection: which host and port were asked for,
/// through which protocol, whether it was let through, and the rule that decided. Written to the audit log.
/// </summary>
public sealed class NetworkDecision
{
    public NetworkDecision(string host, int port, string protocol, bool allowed, string reason, string? rule, string message, string? address, DateTimeOffset time)
    {
        Host = host;
        Port = port;
        Protocol = protocol;
        Allowed = allowed;
        Reason = reason;
        Rule = rule;
        Message = message;
        Address = address;
        Time = time;
    }

    /// <summary>The host as the client asked for it, normalised (lower case, no trailing dot, IPv6 without brackets).</summary>
    public string Host { get; }
    public int Port { get; }
    /// <summary><c>http</c> (plain forwarding), <c>connect</c> (HTTP CONNECT tunnel) or <c>socks5</c>.</summary>
    public string Protocol { get; }
    public bool Allowed { get; }
    /// <summary>
    /// <c>allowed</c>, or why not: <c>blocked-by-allowlist</c>, <c>blocked-by-denylist</c>, <c>blocked-by-private-address</c>,
    /// <c>blocked-udp</c>, <c>invalid-host</c>, <c>resolve-failed</c>; in limited mode <c>blocked-by-method-policy</c> (a method
    /// other than GET, HEAD or OPTIONS) and <c>blocked-by-mitm-required</c> (a CONNECT or SOCKS5 tunnel, whose method the
    /// proxy cannot see).
    /// </summary>
    public string Reason { get; }
    /// <summary>The <c>allowed_domains</c> or <c>denied_domains</c> entry that decided, or null when none did.</summary>
    public string? Rule { get; }
    /// <summary>A sentence for people, naming the rule.</summary>
    public string Message { get; }
    /// <summary>The address the proxy resolved and checked (and connects to when allowed), or null.</summary>
    public string? Address { get; }
    public DateTimeOffset Time { get; }

    public override string ToString() => $"{(Allowed ? "allow" : "block")} {Protocol} {Host}:{Port} ({Reason}{(Rule is null ? "" : $" {Rule}")})";
}
