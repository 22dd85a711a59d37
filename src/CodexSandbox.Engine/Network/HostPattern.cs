using System.Net;

namespace CodexSandbox.Engine.Network;

/// <summary>One parsed <c>allowed_domains</c> / <c>denied_domains</c> entry.</summary>
public sealed class HostPattern
{
    private HostPattern(string text, HostPatternKind kind, string domain, IPAddress? address)
    {
        Text = text;
        Kind = kind;
        Domain = domain;
        Address = address;
    }

    /// <summary>The entry as written in the config.</summary>
    public string Text { get; }
    public HostPatternKind Kind { get; }
    /// <summary>The normalised name after any wildcard prefix (or the IP's canonical text).</summary>
    public string Domain { get; }
    public IPAddress? Address { get; }

    /// <summary>True for entries that name one host exactly (a name without wildcard, or an IP literal).</summary>
    public bool IsExact => Kind is HostPatternKind.Exact or HostPatternKind.IpLiteral;

    /// <summary>Parses an entry; on failure returns null and sets <paramref name="problemId"/> and <paramref name="message"/>.</summary>
    public static HostPattern? TryParse(string text, out string problemId, out string message)
    {
        var (pattern, id, why) = Parse(text);
        problemId = id;
        message = pattern is null ? $"'{text}' {why}" : "";
        return pattern;
    }

    private static (HostPattern? Pattern, string Id, string Why) Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, "EmptyHostPattern", "is empty");
        if (text.Trim() != text) return (null, "InvalidHostPattern", "has leading or trailing spaces");
        if (text is "*" or "**" or "*." or "**.")
            return (null, "BareWildcard", "would allow every host; a global wildcard is refused (list the domains, e.g. '**.example.com')");
        if (text.Contains("://", StringComparison.Ordinal)) return (null, "SchemeInHost", "has a scheme; write the host only (e.g. 'example.com')");
        if (text.Contains('/')) return (null, "PathInHost", "has a path or CIDR suffix; write a host name or a single IP address");
        if (text.Contains('@')) return (null, "InvalidHostPattern", "has user information; write the host only");

        var body = text;
        var kind = HostPatternKind.Exact;
        if (body.StartsWith("**.", StringComparison.Ordinal)) { kind = HostPatternKind.ApexAndSubdomains; body = body[3..]; }
        else if (body.StartsWith("*.", StringComparison.Ordinal)) { kind = HostPatternKind.Subdomains; body = body[2..]; }
        if (body.Contains('*')) return (null, "InvalidHostPattern", "has a wildcard that is not a leading '*.' or '**.' label");

        var ipText = body.Length > 2 && body[0] == '[' && body[^1] == ']' ? body[1..^1] : body;
        if (HostName.TryParseIp(ipText, out var ip))
        {
            if (kind != HostPatternKind.Exact) return (null, "InvalidHostPattern", "puts a wildcard in front of an IP address");
            return (new HostPattern(text, HostPatternKind.IpLiteral, HostName.Format(ip), HostName.Canonical(ip)), "", "");
        }
        if (body.StartsWith('[') || body.Count(c => c == ':') > 1) return (null, "InvalidHostPattern", "is not a valid IPv6 address");
        if (body.Contains(':'))
            return (null, "PortInHost", "has a port; domain entries match hosts on every port (use allowed_ports for direct connections)");

        var name = (body.EndsWith('.') ? body[..^1] : body).ToLowerInvariant();
        if (HostName.CheckName(name) is { } why)
            return (null, why.Contains("empty label", StringComparison.Ordinal) || name.Length == 0 ? "EmptyLabel" : "InvalidHostPattern", why);
        return (new HostPattern(text, kind, name, null), "", "");
    }

    /// <summary>Does this entry match a host already normalised by <see cref="HostName.Normalize"/>?</summary>
    public bool Matches(string host, IPAddress? hostAddress)
    {
        switch (Kind)
        {
            case HostPatternKind.IpLiteral:
                return hostAddress is not null && Address!.Equals(HostName.Canonical(hostAddress));
            case HostPatternKind.Exact:
                return hostAddress is null && string.Equals(host, Domain, StringComparison.Ordinal);
            case HostPatternKind.Subdomains:
                return hostAddress is null && IsStrictSubdomain(host);
            default:
                return hostAddress is null && (string.Equals(host, Domain, StringComparison.Ordinal) || IsStrictSubdomain(host));
        }
    }

    /// <summary>Does this IP entry equal a resolved address?</summary>
    public bool MatchesAddress(IPAddress address) =>
        Kind == HostPatternKind.IpLiteral && Address!.Equals(HostName.Canonical(address));

    private bool IsStrictSubdomain(string host) =>
        host.Length > Domain.Length + 1 && host.EndsWith(Domain, StringComparison.Ordinal) && host[host.Length - Domain.Length - 1] == '.';

    public override string ToString() => Text;
}
