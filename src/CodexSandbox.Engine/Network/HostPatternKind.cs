namespace CodexSandbox.Engine.Network;

/// <summary>How a domain list entry matches host names.</summary>
public enum HostPatternKind
{
    /// <summary><c>example.com</c>: that name only.</summary>
    Exact,
    /// <summary><c>*.example.com</c>: any subdomain, not the apex.</summary>
    Subdomains,
    /// <summary><c>**.example.com</c>: the apex and any subdomain.</summary>
    ApexAndSubdomains,
    /// <summary><c>10.0.0.5</c> or <c>::1</c>: a host given as exactly that IP literal.</summary>
    IpLiteral,
}
