namespace CodexSandbox.Engine.Configuration.Requirements;

/// <summary>
/// <c>[experimental_network]</c>: the managed network proxy. While <see cref="Enabled"/> is not false and it lists domains,
/// a sandbox with network access reaches only the allowlist proxy, with these domain rules.
/// </summary>
public sealed record RequiredNetwork
{
    public bool? Enabled { get; init; }
    public IReadOnlyList<string> AllowedDomains { get; init; } = [];
    public IReadOnlyList<string> DeniedDomains { get; init; } = [];
    /// <summary>True: the user's allowed domains are ignored, only the managed ones count.</summary>
    public bool ManagedAllowedDomainsOnly { get; init; }
    /// <summary>False forbids local binding whatever the user's config says; null leaves it to the config.</summary>
    public bool? AllowLocalBinding { get; init; }
    public required PolicyOrigin Origin { get; init; }

    /// <summary>True when the managed proxy applies: not switched off, and some domain rule to apply.</summary>
    public bool Active => Enabled != false && (AllowedDomains.Count > 0 || DeniedDomains.Count > 0 || ManagedAllowedDomainsOnly);
}
