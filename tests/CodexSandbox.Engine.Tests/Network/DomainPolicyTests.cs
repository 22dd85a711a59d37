using System.Net;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

public class DomainPolicyTests
{
    private static DomainPolicy Policy(string[] allow, string[]? deny = null, bool local = false) =>
        DomainPolicy.Create(new NetworkPolicySettings { Mode = NetworkMode.Allowlist, AllowedDomains = allow, DeniedDomains = deny ?? [], AllowLocalBinding = local });

    private static HostVerdict Decide(DomainPolicy p, string host) => p.Evaluate(HostName.Normalize(host) ?? throw new ArgumentException(host));

    [Theory]
    // exact
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "EXAMPLE.com.", true)]
    [InlineData("example.com", "www.example.com", false)]
    [InlineData("example.com", "badexample.com", false)]
    [InlineData("Example.COM.", "example.com", true)]
    // *. : subdomains only
    [InlineData("*.example.com", "api.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "evilexample.com", false)]
    [InlineData("*.example.com", "example.com.evil.net", false)]
    // **. : apex and subdomains
    [InlineData("**.example.com", "example.com", true)]
    [InlineData("**.example.com", "x.example.com", true)]
    [InlineData("**.example.com", "Deep.X.Example.Com.", true)]
    [InlineData("**.example.com", "notexample.com", false)]
    // IP literals match only IP entries, and names never match IP entries
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("localhost", "127.0.0.1", false)]
    [InlineData("127.0.0.1", "localhost", false)]
    [InlineData("::1", "[::1]", true)]
    [InlineData("[::1]", "::1", true)]
    [InlineData("::1", "[0:0:0:0:0:0:0:1]", true)]
    public void WildcardTable(string entry, string host, bool allowed)
    {
        var v = Decide(Policy([entry]), host);
        Assert.Equal(allowed, v.Allowed);
        Assert.Equal(allowed ? "allowed" : "blocked-by-allowlist", v.Reason);
        if (allowed) Assert.Equal(entry, v.Rule!.Text);
    }

    [Theory]
    [InlineData("**.example.com", "*.bad.example.com", "x.bad.example.com", false, "*.bad.example.com")]
    [InlineData("**.example.com", "*.bad.example.com", "bad.example.com", true, "**.example.com")]
    [InlineData("api.example.com", "**.example.com", "api.example.com", false, "**.example.com")]
    [InlineData("api.example.com", "api.example.com", "API.example.com.", false, "api.example.com")]
    [InlineData("10.0.0.5", "10.0.0.5", "10.0.0.5", false, "10.0.0.5")]
    public void DenyBeatsAllow(string allow, string deny, string host, bool allowed, string rule)
    {
        var v = Decide(Policy([allow], [deny]), host);
        Assert.Equal(allowed, v.Allowed);
        Assert.Equal(allowed ? "allowed" : "blocked-by-denylist", v.Reason);
        Assert.Equal(rule, v.Rule!.Text);
    }

    [Fact]
    public void EmptyAllowlistAllowsNothing()
    {
        var p = Policy([]);
        foreach (var h in new[] { "example.com", "localhost", "127.0.0.1", "::1" })
        {
            var v = Decide(p, h);
            Assert.False(v.Allowed);
            Assert.Equal("blocked-by-allowlist", v.Reason);
            Assert.Contains("allowed_domains is empty", v.Message);
        }
    }

    [Fact]
    public void ExactEntryWinsOverWildcardSoItMayReachLocalAddresses()
    {
        var p = Policy(["**.svc.test", "db.svc.test"]);
        var v = Decide(p, "db.svc.test");
        Assert.True(v.ExactAllow);
        Assert.Equal("db.svc.test", v.Rule!.Text);
        Assert.True(p.CheckAddresses("db.svc.test", v, [IPAddress.Parse("10.1.2.3")]).Allowed);

        var w = Decide(p, "web.svc.test");
        Assert.False(w.ExactAllow);
        var blocked = p.CheckAddresses("web.svc.test", w, [IPAddress.Parse("10.1.2.3")]);
        Assert.False(blocked.Allowed);
        Assert.Equal("blocked-by-private-address", blocked.Reason);
        Assert.Contains("10.1.2.3", blocked.Message);
        Assert.Contains("**.svc.test", blocked.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.10.10")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::")]
    public void WildcardHostsNeverReachNonPublicAddressesUnlessLocalBindingIsOn(string address)
    {
        var strict = Policy(["**.example.com"]);
        var v = strict.CheckAddresses("x.example.com", Decide(strict, "x.example.com"), [IPAddress.Parse("93.184.216.34"), IPAddress.Parse(address)]);
        Assert.False(v.Allowed);
        Assert.Equal("blocked-by-private-address", v.Reason);
        Assert.Equal(IPAddress.Parse(address), v.Address); // the offending answer, not the public one before it

        var local = Policy(["**.example.com"], local: true);
        Assert.True(local.CheckAddresses("x.example.com", Decide(local, "x.example.com"), [IPAddress.Parse(address)]).Allowed);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    public void MetadataAddressesNeedAnExactEntryEvenWithLocalBinding(string address)
    {
        var p = Policy(["**.example.com", "meta.example.com"], local: true);
        var wild = p.CheckAddresses("x.example.com", Decide(p, "x.example.com"), [IPAddress.Parse(address)]);
        Assert.False(wild.Allowed);
        Assert.Contains("metadata", wild.Message);
        Assert.True(p.CheckAddresses("meta.example.com", Decide(p, "meta.example.com"), [IPAddress.Parse(address)]).Allowed);
    }

    [Fact]
    public void ResolvedAddressOnTheDenylistIsBlocked()
    {
        var p = Policy(["**.example.com"], ["93.184.216.34"]);
        var v = p.CheckAddresses("a.example.com", Decide(p, "a.example.com"), [IPAddress.Parse("93.184.216.34")]);
        Assert.False(v.Allowed);
        Assert.Equal("blocked-by-denylist", v.Reason);
        Assert.Equal("93.184.216.34", v.Rule!.Text);
    }

    [Fact]
    public void PublicAddressesPassForWildcardHosts()
    {
        var p = Policy(["**.example.com"]);
        var v = p.CheckAddresses("a.example.com", Decide(p, "a.example.com"), [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("2606:2800:220:1::1")]);
        Assert.True(v.Allowed);
    }

    [Fact]
    public void CreateRefusesInvalidSettings()
    {
        var e = Assert.Throws<ArgumentException>(() => Policy(["*", "ok.com", "a..b"]));
        Assert.Contains("allowed_domains[0]", e.Message);
        Assert.Contains("allowed_domains[2]", e.Message);
    }

    [Theory]
    [InlineData("2130706433")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("0x7f000001")]
    [InlineData("127.000.000.001")]
    [InlineData("a..b")]
    [InlineData("exa mple.com")]
    [InlineData("[::1")]
    [InlineData("[127.0.0.1]")]
    [InlineData("fe80::1%eth0")]
    [InlineData("bücher.de")]
    [InlineData("")]
    public void OddHostSpellingsAreNotHostNames(string host) => Assert.Null(HostName.Normalize(host));

    [Theory]
    [InlineData("Example.COM.", "example.com")]
    [InlineData("[::FFFF:127.0.0.1]", "127.0.0.1")]
    [InlineData("[2001:DB8::1]", "2001:db8::1")]
    [InlineData("xn--bcher-kva.de", "xn--bcher-kva.de")]
    [InlineData("my_host.internal", "my_host.internal")]
    public void HostsAreNormalised(string host, string expected) => Assert.Equal(expected, HostName.Normalize(host));
}
