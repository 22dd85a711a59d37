using System.Net;
using System.Net.Http;
using System.Text;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

/// <summary>
/// Codex's <c>mode = "limited"</c> through our proxy: GET, HEAD and OPTIONS pass for plain HTTP; other methods and
/// upgrades get a 403; CONNECT and SOCKS5 tunnels are refused since the proxy does not intercept TLS. Every refusal is a
/// recorded decision.
/// </summary>
public class LimitedModeProxyTests
{
    private static HttpClient ClientThrough(NetworkProxy proxy) =>
        new(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{proxy.HttpPort}"), UseProxy = true }) { Timeout = TimeSpan.FromSeconds(15) };

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task ReadMethodsPass(string method)
    {
        await using var server = new MiniHttpServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test"], limited: true);
        await using var _ = proxy;
        using var client = ClientThrough(proxy);
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"http://svc.test:{server.Port}/x"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("allowed", Assert.Single(decisions).Reason);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task OtherMethodsGet403BeforeAnyUpstreamContact(string method)
    {
        await using var server = new MiniHttpServer();
        var resolver = new FakeResolver().Add("svc.test", "127.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["svc.test"], limited: true);
        await using var _ = proxy;
        using var client = ClientThrough(proxy);
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"http://svc.test:{server.Port}/x") { Content = new StringContent("data") });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("blocked-by-method-policy", response.Headers.GetValues("X-Proxy-Error").Single());
        Assert.Contains($"allows only GET, HEAD and OPTIONS, not {method}", await response.Content.ReadAsStringAsync());
        Assert.Empty(server.Heads);
        Assert.Empty(resolver.Lookups);
        var d = Assert.Single(decisions);
        Assert.Equal(("svc.test", server.Port, "http", false, "blocked-by-method-policy"), (d.Host, d.Port, d.Protocol, d.Allowed, d.Reason));
    }

    [Fact]
    public async Task AnUpgradeIsRefused()
    {
        await using var server = new MiniHttpServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test"], limited: true);
        await using var _ = proxy;
        var head = await RawClient.ExchangeAsync(proxy.HttpPort,
            $"GET http://svc.test:{server.Port}/ws HTTP/1.1\r\nHost: svc.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403", head);
        Assert.Empty(server.Heads);
        Assert.Equal("blocked-by-method-policy", Assert.Single(decisions).Reason);
    }

    [Fact]
    public async Task ConnectIsRefusedWithAClearReasonEvenForAnAllowedHost()
    {
        await using var echo = new EchoServer();
        var resolver = new FakeResolver().Add("echo.test", "127.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["echo.test"], limited: true);
        await using var _ = proxy;
        var answer = await RawClient.ExchangeAsync(proxy.HttpPort, $"CONNECT echo.test:{echo.Port} HTTP/1.1\r\nHost: echo.test:{echo.Port}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403", answer);
        Assert.Contains("X-Proxy-Error: blocked-by-mitm-required", answer);
        Assert.Contains("does not intercept TLS", answer);
        Assert.Empty(resolver.Lookups);
        var d = Assert.Single(decisions);
        Assert.Equal(("echo.test", "connect", false, "blocked-by-mitm-required"), (d.Host, d.Protocol, d.Allowed, d.Reason));
    }

    [Fact]
    public async Task SocksIsRefused()
    {
        await using var echo = new EchoServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("echo.test", "127.0.0.1"), ["echo.test"], limited: true);
        await using var _ = proxy;
        using var s = await RawClient.ConnectAsync(proxy.SocksPort);
        await s.SendAsync(new byte[] { 5, 1, 0 });
        Assert.Equal(new byte[] { 5, 0 }, await RawClient.ReceiveExactlyAsync(s, 2));
        var name = Encoding.ASCII.GetBytes("echo.test");
        await s.SendAsync(new byte[] { 5, 1, 0, 3, (byte)name.Length }.Concat(name).Concat(new[] { (byte)(echo.Port >> 8), (byte)echo.Port }).ToArray());
        var reply = await RawClient.ReceiveExactlyAsync(s, 2);
        Assert.Equal(0x02, reply[1]); // connection not allowed by ruleset
        var d = Assert.Single(decisions);
        Assert.Equal(("socks5", false, "blocked-by-mitm-required"), (d.Protocol, d.Allowed, d.Reason));
    }

    [Fact]
    public async Task FullModeStillTunnels()
    {
        await using var echo = new EchoServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("echo.test", "127.0.0.1"), ["echo.test"]);
        await using var _ = proxy;
        using var s = await RawClient.ConnectAsync(proxy.HttpPort);
        await s.SendAsync(Encoding.ASCII.GetBytes($"CONNECT echo.test:{echo.Port} HTTP/1.1\r\nHost: echo.test\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 200", await RawClient.ReadHeadAsync(s));
        Assert.True(Assert.Single(decisions).Allowed);
    }
}
