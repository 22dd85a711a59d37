using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

public class ProxyEnvironmentTests
{
    [Fact]
    public void PointsEveryClientFamilyAtTheLoopbackProxy()
    {
        var env = ProxyEnvironment.Build(41000, 41001);
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "npm_config_proxy", "npm_config_https_proxy", "PIP_PROXY", "YARN_HTTPS_PROXY" })
            Assert.Equal("http://127.0.0.1:41000", env[name]);
        // socks5h, so the client sends names and the proxy applies the name rules
        Assert.Equal("socks5h://127.0.0.1:41001", env["ALL_PROXY"]);
        Assert.Equal("socks5h://127.0.0.1:41001", env["all_proxy"]);
        Assert.Equal("1", env["CODEX_NETWORK_PROXY_ACTIVE"]);
        Assert.False(env.ContainsKey("CODEX_NETWORK_ALLOW_LOCAL_BINDING"));
    }

    [Fact]
    public void NoProxyIsClearedSoNothingBypassesTheProxy()
    {
        var env = ProxyEnvironment.Build(41000, 41001);
        Assert.Equal("", env["NO_PROXY"]);
        Assert.Equal("", env["no_proxy"]);
        Assert.Equal("", env["npm_config_noproxy"]);
    }

    [Fact]
    public void LocalBindingIsAnnounced() =>
        Assert.Equal("1", ProxyEnvironment.Build(1, 2, allowLocalBinding: true)["CODEX_NETWORK_ALLOW_LOCAL_BINDING"]);

    [Fact]
    public void InvalidPortsAreRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => ProxyEnvironment.Build(0, 1080));

    [Fact]
    public void DirectPortsAreProxyPortsPlusAllowedPorts()
    {
        var s = new NetworkPolicySettings { Mode = NetworkMode.Allowlist, AllowedPorts = [5432, 41000, 6379] };
        Assert.Equal([5432, 6379, 41000, 41001], DirectPorts.For(s, 41000, 41001));
        Assert.Equal([41000, 41001], DirectPorts.For(new NetworkPolicySettings(), 41001, 41000));
    }
}
