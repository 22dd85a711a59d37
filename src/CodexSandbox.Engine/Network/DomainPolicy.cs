using System.Net;

namespace CodexSandbox.Engine.Network;

/// <summary>
/// The compiled domain lists. Deny beats allow; an empty allowlist allows nothing; names compare case-insensitively with a
/// trailing dot ignored; an IP literal host matches only an IP entry, never a name pattern.
/// <para>
/// Non-public addresses (loopback, private, link-local, CGNAT, unique-local, unspecified, multicast, reserved) are refused
/// after resolution unless the host was allowed by an exact entry (the name itself, e.g. <c>localhost</c>, or an IP literal)
/// or <c>allow_local_binding</c> is set. Cloud metadata addresses (169.254.169.254, fd00:ec2::254, 100.100.100.200) need an
/// exact entry; <c>allow_local_binding</c> does not open them. A wildcard entry never reaches a non-public address, so a
/// DNS answer pointing <c>evil.example.com</c> at 10.0.0.1 is refused even when <c>**.example.com</c> is allowed.
/// </para>
/// </summary>
public sealed class DomainPolicy
{
    private DomainPolicy(IReadOnlyList<HostPattern> allowed, IReadOnlyList<HostPattern> denied, bool allowLocalBinding, bool limited)
    {
        Allowed = allowed;
        Denied = denied;
        AllowLocalBinding = allowLocalBinding;
        Limited = limited;
    }

    public IReadOnlyList<HostPattern> Allowed { get; }
    public IReadOnlyList<HostPattern> Denied { get; }
    public bool AllowLocalBinding { get; }
    /// <summary>Codex's <c>mode = "limited"</c>: see <see cref="CheckMethod"/> and <see cref="CheckTunnel"/>.</summary>
    public bool Limited { get; }

    /// <summary>Compiles the settings; throws <see cref="ArgumentException"/> listing every error <see cref="NetworkPolicyValidator"/> finds.</summary>
    public static DomainPolicy Create(NetworkPolicySettings settings)
    {
        var errors = NetworkPolicyValidator.Validate(settings).Where(p => p.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid network policy: " + string.Join("; ", errors.Select(e => $"{e.Key}[{e.Index}]: {e.Message}")), nameof(settings));
        static List<HostPattern> Parse(IEnumerable<string> list) => list.Select(t => HostPattern.TryParse(t, out _, out _)!).ToList();
        return new DomainPolicy(Parse(settings.AllowedDomains), Parse(settings.DeniedDomains), settings.AllowLocalBinding, settings.Limited);
    }

    /// <summary>
    /// Limited mode lets only GET, HEAD and OPTIONS through (Codex's <c>NetworkMode::allows_method</c>), and no Upgrade: after
    /// a 101 the connection carries anything in both directions. Null when the request may go on.
    /// </summary>
    public HostVerdict? CheckMethod(string method, bool upgrade)
    {
        if (!Limited) return null;
        if (method is not ("GET" or "HEAD" or "OPTIONS"))
        {
            return new(false, ProxyReasons.BlockedByMethodPolicy, null, false,
                $"network mode = \"limited\" allows only GET, HEAD and OPTIONS, not {method}");
        }
        return upgrade
            ? new(false, ProxyReasons.BlockedByMethodPolicy, null, false,
                "network mode = \"limited\" refuses an Upgrade: the upgraded connection could carry any request")
            : null;
    }

    /// <summary>
    /// Limited mode refuses CONNECT and SOCKS5: the method travels inside the tunnel (inside TLS for HTTPS), and this proxy
    /// does not intercept TLS, so it cannot keep the tunnel to GET, HEAD and OPTIONS. Codex refuses the same way when its
    /// interception is unavailable. Null when the tunnel may be decided by host.
    /// </summary>
    public HostVerdict? CheckTunnel(string protocol)
    {
        if (!Limited) return null;
        return new(false, ProxyReasons.BlockedByMitmRequired, null, false,
            $"network mode = \"limited\" allows only GET, HEAD and OPTIONS, and this proxy does not intercept TLS, so it cannot see the method inside a {(protocol == "socks5" ? "SOCKS5" : "CONNECT")} tunnel; " +
            "use a plain http:// URL, or mode = \"full\" to let HTTPS through");
    }

    /// <summary>Decides by name. <paramref name="host"/> must come from <see cref="HostName.Normalize"/>.</summary>
    public HostVerdict Evaluate(string host)
    {
        IPAddress? ip = HostName.TryParseIp(host, out var parsed) ? parsed : null;
        foreach (var d in Denied)
        {
            if (d.Matches(host, ip))
                return new(false, ProxyReasons.BlockedByDenylist, d, false, $"host '{host}' matches denied_domains entry '{d.Text}'");
        }
        HostPattern? first = null;
        foreach (var a in Allowed)
        {
            if (!a.Matches(host, ip)) continue;
            if (a.IsExact) return new(true, ProxyReasons.Allowed, a, true, $"host '{host}' matches allowed_domains entry '{a.Text}'");
            first ??= a;
        }
        if (first is not null) return new(true, ProxyReasons.Allowed, first, false, $"host '{host}' matches allowed_domains entry '{first.Text}'");
        var why = Allowed.Count == 0 ? "allowed_domains is empty, so every host is blocked" : $"host '{host}' is not in allowed_domains";
        return new(false, ProxyReasons.BlockedByAllowlist, null, false, why);
    }

    /// <summary>
    /// Checks the addresses a host allowed by name resolved to. Every address must pass, because the proxy may connect to
    /// any of them; the caller connects only to these checked addresses (no second lookup).
    /// </summary>
    public HostVerdict CheckAddresses(string host, HostVerdict byName, IReadOnlyList<IPAddress> addresses)
    {
        if (!byName.Allowed) return byName;
        foreach (var address in addresses)
        {
            var shown = HostName.Format(address);
            foreach (var d in Denied)
            {
                if (d.MatchesAddress(address))
                    return new(false, ProxyReasons.BlockedByDenylist, d, false, $"host '{host}' resolves to {shown}, which matches denied_domains entry '{d.Text}'", address);
            }
            var range = AddressClassifier.Classify(address);
            if (range is null || byName.ExactAllow) continue;
            if (range == AddressClassifier.Metadata)
                return new(false, ProxyReasons.BlockedByPrivateAddress, byName.Rule, false,
                    $"host '{host}' resolves to {shown}, a cloud metadata address; only an exact allowed_domains entry for the host reaches it (the wildcard entry '{byName.Rule?.Text}' does not)", address);
            if (!AllowLocalBinding)
                return new(false, ProxyReasons.BlockedByPrivateAddress, byName.Rule, false,
                    $"host '{host}' resolves to {shown} ({range}); a non-public address is reached only through an exact allowed_domains entry for the host or allow_local_binding = true (the wildcard entry '{byName.Rule?.Text}' is not enough)", address);
        }
        return byName;
    }
}
