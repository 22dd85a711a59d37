using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

/// <summary>
/// <c>[permissions.&lt;id&gt;.network]</c> (codex-config-2026.md §3) mapped onto off / allowlist / on and the proxy: precedence
/// over <c>[sandbox_network]</c>, <c>extends</c> merging, limited mode, domains and unix sockets, with provenance.
/// </summary>
public class ProfileNetworkTests
{
    private static SandboxPolicy Resolve(TempTree t, PolicyOverrides? o = null)
    {
        var env = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = Path.Combine(t.Root, "home") };
        return PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), o ?? new PolicyOverrides(), env);
    }

    private const string Profile = "default_permissions = \"n\"\n[permissions.n]\nextends = \":workspace\"\n";

    [Fact]
    public void EnabledWithoutDomainsIsOnAndShowsWhereItCameFrom()
    {
        using var t = new TempTree();
        var file = t.UserConfig(Profile + "[permissions.n.network]\nenabled = true\n");
        var p = Resolve(t);
        Assert.Equal(NetworkMode.On, p.NetworkMode);
        var origin = p.Provenance.Single(o => o.Setting == "permissions.n.network.enabled");
        Assert.Equal(("true", file, 5), (origin.Value, origin.File, origin.Line));
    }

    [Fact]
    public void DomainsMakeAnAllowlistWithEachEntryLocated()
    {
        using var t = new TempTree();
        var file = t.UserConfig(Profile + "[permissions.n.network]\nenabled = true\nallow_local_binding = true\n[permissions.n.network.domains]\n" +
                                "\"Example.com\" = \"allow\"\n\"**.example.org\" = \"allow\"\n\"bad.example.org\" = \"deny\"\n");
        var p = Resolve(t);
        Assert.Equal(NetworkMode.Allowlist, p.NetworkMode);
        Assert.Equal(["**.example.org", "example.com"], p.AllowedDomains.Order(StringComparer.Ordinal));
        Assert.Equal(["bad.example.org"], p.DeniedDomains);
        Assert.True(p.AllowLocalBinding);
        Assert.False(p.NetworkLimited);
        var deny = p.Provenance.Single(o => o.Setting == "permissions.n.network.domains.\"bad.example.org\"");
        Assert.Equal(("deny", file, 10), (deny.Value, deny.File, deny.Line));
        Assert.Contains(p.Provenance, o => o.Setting == "permissions.n.network.allow_local_binding" && o.Line == 6);
    }

    [Fact]
    public void LimitedModeGoesThroughTheProxy()
    {
        using var t = new TempTree();
        t.UserConfig(Profile + "[permissions.n.network]\nenabled = true\nmode = \"limited\"\n[permissions.n.network.domains]\n\"example.com\" = \"allow\"\n");
        var p = Resolve(t);
        Assert.Equal((NetworkMode.Allowlist, true), (p.NetworkMode, p.NetworkLimited));
        Assert.Contains(p.Provenance, o => o.Setting == "permissions.n.network.mode" && o.Value == "limited");
    }

    [Fact]
    public void LimitedModeWithoutAnAllowedDomainBlocksEverythingAndSaysSo()
    {
        using var t = new TempTree();
        t.UserConfig(Profile + "[permissions.n.network]\nenabled = true\nmode = \"limited\"\n");
        var p = Resolve(t);
        Assert.Equal((NetworkMode.Allowlist, true), (p.NetworkMode, p.NetworkLimited));
        Assert.Empty(p.AllowedDomains);
        Assert.Contains(p.Warnings, w => w.Contains("allows no domain, so every host is blocked"));
    }

    [Fact]
    public void DomainsWithoutEnabledLeaveTheNetworkOffWithAWarning()
    {
        // Codex: the sandbox's network is restricted unless enabled = true; the domains alone open nothing
        using var t = new TempTree();
        t.UserConfig(Profile + "[permissions.n.network.domains]\n\"example.com\" = \"allow\"\n");
        var p = Resolve(t);
        Assert.Equal(NetworkMode.Off, p.NetworkMode);
        Assert.False(p.NetworkLimited);
        Assert.Contains(p.Warnings, w => w.Contains("network.enabled is not true"));
    }

    [Fact]
    public void TheProfileNetworkTableWinsOverSandboxNetwork()
    {
        using var t = new TempTree();
        t.UserConfig(Profile + "[permissions.n.network]\nenabled = false\n[sandbox_network]\nmode = \"on\"\nallowed_ports = [5432]\n");
        var p = Resolve(t);
        Assert.Equal(NetworkMode.Off, p.NetworkMode);
        Assert.Empty(p.AllowedPorts);
        Assert.Contains(p.Warnings, w => w.StartsWith("[sandbox_network] (User ") && w.Contains("permission profile `n` has its own network table"));
    }

    [Fact]
    public void AProfileWithoutANetworkTableLeavesSandboxNetworkInCharge()
    {
        using var t = new TempTree();
        t.UserConfig(Profile + "[sandbox_network]\nmode = \"allowlist\"\nallowed_domains = [\"example.com\"]\n");
        var p = Resolve(t);
        Assert.Equal(NetworkMode.Allowlist, p.NetworkMode);
        Assert.Equal(["example.com"], p.AllowedDomains);
        Assert.DoesNotContain(p.Warnings, w => w.Contains("[sandbox_network]"));
    }

    [Fact]
    public void LegacySandboxModeKeepsSandboxNetworkAndIgnoresProfileTables()
    {
        using var t = new TempTree();
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[permissions.n.network]\nenabled = true\nmode = \"limited\"\n[sandbox_network]\nmode = \"allowlist\"\nallowed_domains = [\"example.com\"]\n");
        var p = Resolve(t);
        Assert.Null(p.Permissions);
        Assert.Equal((NetworkMode.Allowlist, false), (p.NetworkMode, p.NetworkLimited));
        Assert.Equal(["example.com"], p.AllowedDomains);
    }

    [Fact]
    public void NetworkAccessParameterStillWins()
    {
        using var t = new TempTree();
        t.UserConfig(Profile + "[permissions.n.network]\nenabled = true\nmode = \"limited\"\n[permissions.n.network.domains]\n\"example.com\" = \"allow\"\n");
        var on = Resolve(t, new PolicyOverrides { NetworkAccess = true });
        Assert.Equal((NetworkMode.On, false), (on.NetworkMode, on.NetworkLimited));
        Assert.Equal(NetworkMode.Off, Resolve(t, new PolicyOverrides { NetworkAccess = false }).NetworkMode);
    }

    [Fact]
    public void ExtendsMergesTheNetworkTableKeyByKey()
    {
        // the child keeps the parent's enabled, replaces its mode, and merges domains (compared lower-case) and sockets by key
        using var t = new TempTree();
        t.UserConfig("default_permissions = \"child\"\n" +
                     "[permissions.base]\nextends = \":workspace\"\n[permissions.base.network]\nenabled = true\nmode = \"limited\"\n" +
                     "[permissions.base.network.domains]\n\"a.example.com\" = \"allow\"\n\"b.example.com\" = \"allow\"\n" +
                     "[permissions.base.network.unix_sockets]\n\"/run/a.sock\" = \"allow\"\n\"/run/b.sock\" = \"allow\"\n" +
                     "[permissions.child]\nextends = \"base\"\n[permissions.child.network]\nmode = \"full\"\n" +
                     "[permissions.child.network.domains]\n\"B.example.com\" = \"deny\"\n\"c.example.com\" = \"allow\"\n" +
                     "[permissions.child.network.unix_sockets]\n\"/run/b.sock\" = \"deny\"\n\"/run/c.sock\" = \"allow\"\n");
        var p = Resolve(t);
        Assert.Equal(["base", "child"], p.PermissionsChain.Skip(1));
        Assert.Equal((NetworkMode.Allowlist, false), (p.NetworkMode, p.NetworkLimited));
        Assert.Equal(["a.example.com", "c.example.com"], p.AllowedDomains.Order(StringComparer.Ordinal));
        Assert.Equal(["b.example.com"], p.DeniedDomains);
        Assert.Equal(["/run/a.sock", "/run/c.sock"], p.AllowedUnixSockets.Order(StringComparer.Ordinal));
        Assert.Equal(["/run/b.sock"], p.DeniedUnixSockets);
    }

    [Fact]
    public void UnixSocketsOverlayByPathAndApplyWithTheNetworkOff()
    {
        // network_toml_overlays_unix_socket_permissions_by_path; allowed sockets do not need enabled = true (as on macOS)
        using var t = new TempTree();
        var sockets = t.Dir("sockets");
        t.UserConfig(Profile + $"[permissions.n.network.unix_sockets]\n\"{sockets}\" = \"allow\"\n\"{sockets}/private.sock\" = \"deny\"\n\"relative.sock\" = \"allow\"\n");
        var p = Resolve(t);
        Assert.Equal(NetworkMode.Off, p.NetworkMode);
        Assert.Equal([sockets], p.AllowedUnixSockets);
        Assert.Equal([Path.Combine(sockets, "private.sock")], p.DeniedUnixSockets);
        Assert.False(p.AllowAllUnixSockets);
        Assert.Contains(p.Warnings, w => w.Contains("`relative.sock`") && w.Contains("not an absolute path"));
        Assert.Contains(p.Provenance, o => o.Setting == $"permissions.n.network.unix_sockets.\"{sockets}\"" && o.Value == "allow");
    }

    [Fact]
    public void DangerouslyAllowAllUnixSocketsIsRead()
    {
        using var t = new TempTree();
        t.UserConfig(Profile + "[permissions.n.network]\ndangerously_allow_all_unix_sockets = true\n");
        Assert.True(Resolve(t).AllowAllUnixSockets);
    }

    [Theory]
    [InlineData("[permissions.n.network]\nmode = \"readonly\"\n", "permissions.n.network.mode = \"readonly\" is not a valid value; accepted values: \"full\", \"limited\".")]
    [InlineData("[permissions.n.network]\nenabled = \"yes\"\n", "permissions.n.network.enabled must be a boolean, not a string.")]
    [InlineData("[permissions.n.network.domains]\n\"example.com\" = \"none\"\n", "permissions.n.network.domains.\"example.com\" = \"none\" is not a valid value; accepted values: \"allow\", \"deny\".")]
    [InlineData("[permissions.n.network.unix_sockets]\n\"/run/x.sock\" = \"none\"\n", "permissions.n.network.unix_sockets.\"/run/x.sock\" = \"none\" is not a valid value; accepted values: \"allow\", \"deny\".")]
    public void BadValuesAreErrorsAtTheirLine(string table, string message)
    {
        using var t = new TempTree();
        var file = t.UserConfig(Profile + table);
        var e = Assert.Throws<ConfigException>(() => Resolve(t)).Errors.Single();
        Assert.Equal((message, file), (e.Message, e.Path));
        Assert.True(e.Line >= 4);
    }

    [Fact]
    public void ABareWildcardDomainIsRefused()
    {
        using var t = new TempTree();
        t.UserConfig(Profile + "[permissions.n.network]\nenabled = true\n[permissions.n.network.domains]\n\"*\" = \"allow\"\n");
        var e = Assert.Throws<ConfigException>(() => Resolve(t)).Errors.Single();
        Assert.Equal(("BareWildcard", 7), (e.Id, e.Line));
    }

    [Fact]
    public void AnUnknownNetworkKeyWarnsWithTheClosestKnownKey()
    {
        using var t = new TempTree();
        t.UserConfig(Profile + "[permissions.n.network]\nenabeld = true\nproxy_url = \"http://127.0.0.1:3128\"\n");
        var config = ConfigLoader.Load(t.Request());
        var d = Assert.Single(config.Diagnostics, d => d.Id == "UnknownKey");
        Assert.Contains("did you mean 'permissions.n.network.enabled'", d.Message);
    }
}
