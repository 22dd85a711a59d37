using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy.Layers;
using CodexSandbox.Engine.Policy.Permissions;

namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>
/// A permission profile's <c>[network]</c> table mapped onto this module's network (codex-config-2026.md §3). When the
/// profile's chain writes one, it decides alone and <c>[sandbox_network]</c> is ignored (with a warning when set);
/// <c>-NetworkAccess</c> still wins, as it does over every file.
/// <list type="bullet">
/// <item><c>enabled</c> not true: off (Codex's "restricted").</item>
/// <item><c>enabled = true</c> with <c>domains</c> or <c>mode = "limited"</c>: allowlist through the proxy, whose host
/// rules are the domains and which, in limited mode, passes only GET, HEAD and OPTIONS. Codex applies domains only with
/// <c>features.network_proxy</c>; here they always apply, since the proxy always runs in allowlist mode.</item>
/// <item><c>enabled = true</c> otherwise: on.</item>
/// <item><c>unix_sockets</c>: the allowed paths, denied ones removed; independent of <c>enabled</c>, as in Codex.</item>
/// </list>
/// </summary>
internal static class ProfileNetworkStep
{
    public static ResolvedNetwork Resolve(Resolution r, ProfilePolicy profile)
    {
        var spec = profile.Network;
        r.Origins.AddRange(spec.Origins());
        var id = profile.Id;
        var files = r.Layers.Layers.Take(r.Layers.Layers.Count - 1).ToList();
        var legacy = files.Select(l => l.NetworkMode?.Origin ?? l.AllowedDomains?.Origin ?? l.DeniedDomains?.Origin ?? l.AllowedPorts?.Origin ?? l.AllowLocalBinding?.Origin)
            .LastOrDefault(o => o is not null);
        if (legacy is not null)
        {
            r.Warnings.Add($"[sandbox_network] ({legacy.Location}) is ignored: permission profile `{id}` has its own network table, which decides the network when the profile applies.");
        }

        var allowed = spec.Domains.Where(d => d.Value.Value == "allow").Select(d => d.Key).ToList();
        var denied = spec.Domains.Where(d => d.Value.Value == "deny").Select(d => d.Key).ToList();
        bool enabled = spec.Enabled?.Value == true;
        NetworkMode mode;
        if (profile.Mode == SandboxMode.DangerFullAccess) mode = r.Use(Sourced<NetworkMode>.Default("network_access", NetworkMode.On, "true"));
        else if (r.Layers.Layers[^1].NetworkMode is { } parameter) mode = r.Use(parameter);
        else if (!enabled) mode = NetworkMode.Off;
        else mode = spec.Limited || spec.Domains.Count > 0 ? NetworkMode.Allowlist : NetworkMode.On;

        if (!enabled && (spec.Domains.Count > 0 || spec.Limited))
        {
            r.Warnings.Add($"Permission profile `{id}` sets network domains or mode = \"limited\", but its network.enabled is not true: the network is off and they have no effect.");
        }
        if (mode == NetworkMode.Allowlist && allowed.Count == 0)
        {
            r.Warnings.Add($"Permission profile `{id}` lets the network through the proxy ({(spec.Limited ? "mode = \"limited\"" : "domains")}) but allows no domain, so every host is blocked, as in Codex; " +
                "add entries such as \"example.com\" = \"allow\" to [permissions." + id + ".network.domains].");
        }

        var sockets = new List<string>();
        var deniedSockets = new List<string>();
        foreach (var (path, permission) in spec.UnixSockets)
        {
            if (!Path.IsPathFullyQualified(path))
            {
                // Codex ignores such entries with a warning too (it cannot normalise them)
                r.Warnings.Add($"Unix socket entry `{path}` ({permission.Origin.Location}) is not an absolute path and is ignored.");
                continue;
            }
            (permission.Value == "allow" ? sockets : deniedSockets).Add(PathUtil.Canonical(path));
        }
        sockets = sockets.Except(deniedSockets, StringComparer.Ordinal).Distinct(StringComparer.Ordinal).ToList();
        return new ResolvedNetwork(mode, allowed, denied, [], spec.AllowLocalBinding?.Value ?? false, spec.Limited && mode == NetworkMode.Allowlist,
            sockets, deniedSockets.Distinct(StringComparer.Ordinal).ToList(), spec.AllowAllUnixSockets?.Value ?? false);
    }
}
