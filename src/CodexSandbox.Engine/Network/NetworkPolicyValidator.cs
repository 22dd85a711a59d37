namespace CodexSandbox.Engine.Network;

/// <summary>Checks a <c>[sandbox_network]</c> table. Pure: the config layer maps each problem to a file position.</summary>
public static class NetworkPolicyValidator
{
    public const string Table = "sandbox_network";
    public const string ModeKey = Table + ".mode";
    public const string AllowedDomainsKey = Table + ".allowed_domains";
    public const string DeniedDomainsKey = Table + ".denied_domains";
    public const string AllowedPortsKey = Table + ".allowed_ports";
    public const string AllowLocalBindingKey = Table + ".allow_local_binding";

    /// <summary>The values <c>mode</c> accepts.</summary>
    public static readonly IReadOnlyList<string> ModeNames = ["off", "allowlist", "on"];

    /// <summary>Reads a <c>mode</c> value (<c>off</c>, <c>allowlist</c>, <c>on</c>; exact lower case, as TOML values are).</summary>
    public static bool TryParseMode(string text, out NetworkMode mode)
    {
        mode = text switch { "off" => NetworkMode.Off, "allowlist" => NetworkMode.Allowlist, "on" => NetworkMode.On, _ => (NetworkMode)(-1) };
        return (int)mode >= 0;
    }

    /// <summary>Every problem in the settings; errors make <see cref="DomainPolicy.Create"/> refuse them.</summary>
    public static IReadOnlyList<NetworkPolicyProblem> Validate(NetworkPolicySettings settings)
    {
        var problems = new List<NetworkPolicyProblem>();
        CheckList(settings.AllowedDomains, AllowedDomainsKey, problems);
        CheckList(settings.DeniedDomains, DeniedDomainsKey, problems);
        for (var i = 0; i < settings.AllowedPorts.Count; i++)
        {
            var port = settings.AllowedPorts[i];
            if (port is < 1 or > 65535)
                problems.Add(new(DiagnosticSeverity.Error, "InvalidPort", AllowedPortsKey, i, $"port {port} is outside 1-65535"));
        }
        if (settings.Mode == NetworkMode.Allowlist && settings.AllowedDomains.Count == 0)
            problems.Add(new(DiagnosticSeverity.Warning, "EmptyAllowlist", AllowedDomainsKey, -1,
                "mode is 'allowlist' but allowed_domains is empty, so every host is blocked"));
        if (settings.Mode != NetworkMode.Allowlist && (settings.AllowedDomains.Count > 0 || settings.DeniedDomains.Count > 0))
            problems.Add(new(DiagnosticSeverity.Information, "DomainsUnused", ModeKey, -1,
                $"allowed_domains and denied_domains apply only when mode is 'allowlist' (mode is '{ModeNames[(int)settings.Mode]}')"));
        return problems;
    }

    private static void CheckList(IReadOnlyList<string> entries, string key, List<NetworkPolicyProblem> problems)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (HostPattern.TryParse(entries[i], out var id, out var message) is null)
                problems.Add(new(DiagnosticSeverity.Error, id, key, i, message));
        }
    }
}
