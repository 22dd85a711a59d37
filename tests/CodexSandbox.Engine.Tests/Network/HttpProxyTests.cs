using System.Net;
using System.Net.Http;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

public class HttpProxyTests
{
    private static HttpClient ClientThrough(NetworkProxy proxy) =>
        new(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{proxy.HttpPort}"), UseProxy = true }) { Timeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task AllowedHostIsReachedThroughTheProxyWithARealClient()
    {
        await using var server = new MiniHttpServer();
        var resolver = new FakeResolver().Add("svc.test", "127.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["svc.test"]);
        await using var _ = proxy;
        using var client = ClientThrough(proxy);

        var response = await client.GetAsync($"http://svc.test:{server.Port}/hello?x=1");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("line=GET /hello?x=1 HTTP/1.1", body);
        var head = Assert.Single(server.Heads);
        Assert.Contains($"Host: svc.test:{server.Port}", head);
        Assert.Contains("Connection: close", head);
        Assert.True(response.Headers.ConnectionClose);
        var d = Assert.Single(decisions);
        Assert.True(d.Allowed);
        Assert.Equal(("svc.test", server.Port, "http", "allowed", "svc.test", "127.0.0.1"), (d.Host, d.Port, d.Protocol, d.Reason, d.Rule, d.Address));
    }

    [Fact]
    public async Task TwoRequestsForDifferentHostsNeverShareAnUpstreamConnection()
    {
        await using var server = new MiniHttpServer();
        var resolver = new FakeResolver().Add("a.test", "127.0.0.1").Add("b.test", "127.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["a.test"]);
        await using var _ = proxy;
        using var client = ClientThrough(proxy);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://a.test:{server.Port}/")).StatusCode);
        // The keep-alive server would happily take a second request on the first connection; the proxy must not let it.
        var second = await client.GetAsync($"http://b.test:{server.Port}/");
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Single(server.Heads);
        Assert.Equal(["allowed", "blocked-by-allowlist"], decisions.Select(d => d.Reason));
    }

    [Fact]
    public async Task HostNotOnTheAllowlistGets403WithHeaderAndBody()
    {
        await using var server = new MiniHttpServer();
        var resolver = new FakeResolver().Add("other.test", "127.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["svc.test"]);
        await using var _ = proxy;
        using var client = ClientThrough(proxy);

        var response = await client.GetAsync($"http://other.test:{server.Port}/");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("blocked-by-allowlist", Assert.Single(response.Headers.GetValues("X-Proxy-Error")));
        Assert.Contains("'other.test' is not in allowed_domains", await response.Content.ReadAsStringAsync());
        Assert.Empty(server.Heads);
        Assert.Empty(resolver.Lookups); // refused by name, before any DNS
        var d = Assert.Single(decisions);
        Assert.False(d.Allowed);
        Assert.Null(d.Rule);
    }

    [Fact]
    public async Task BlockedUploadStillGetsItsAnswer()
    {
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver(), ["svc.test"]);
        await using var __ = proxy;
        using var client = ClientThrough(proxy);
        var response = await client.PostAsync("http://upload.test/", new ByteArrayContent(new byte[512 * 1024]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("blocked-by-allowlist", response.Headers.GetValues("X-Proxy-Error").Single());
    }

    [Fact]
    public async Task ManyConcurrentRequestsAreServed()
    {
        await using var server = new MiniHttpServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test"]);
        await using var _ = proxy;
        using var client = ClientThrough(proxy);
        var bodies = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => client.GetStringAsync($"http://svc.test:{server.Port}/n{i}")));
        for (var i = 0; i < 64; i++) Assert.Contains($"line=GET /n{i} HTTP/1.1", bodies[i]);
        Assert.Equal(64, decisions.Count(d => d.Allowed));
        for (var i = 0; i < 100 && proxy.ActiveConnections > 0; i++) await Task.Delay(20);
        Assert.Equal(0, proxy.ActiveConnections);
    }

    [Fact]
    public async Task DeniedHostGets403NamingTheDenyRule()
    {
        await using var server = new MiniHttpServer();
        var resolver = new FakeResolver().Add("x.bad.test", "127.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["**.test"], ["*.bad.test"], local: true);
        await using var _ = proxy;

        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, $"GET http://X.Bad.Test.:{server.Port}/ HTTP/1.1\r\nHost: x.bad.test\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", raw);
        Assert.Contains("X-Proxy-Error: blocked-by-denylist\r\n", raw);
        Assert.Contains("matches denied_domains entry '*.bad.test'", raw);
        Assert.Empty(server.Heads);
        Assert.Equal(("x.bad.test", "*.bad.test"), (Assert.Single(decisions).Host, decisions.Single().Rule));
    }

    [Fact]
    public async Task DnsRebindingToAPrivateAddressIsRefused()
    {
        await using var server = new MiniHttpServer();
        // A wildcard-allowed name whose DNS answer points inside: loopback (where our server is) and a private address.
        var resolver = new FakeResolver().Add("evil.example.test", "127.0.0.1").Add("evil2.example.test", "10.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["**.example.test"]);
        await using var _ = proxy;

        foreach (var (name, address) in new[] { ("evil.example.test", "127.0.0.1"), ("evil2.example.test", "10.0.0.1") })
        {
            var raw = await RawClient.ExchangeAsync(proxy.HttpPort, $"GET http://{name}:{server.Port}/ HTTP/1.1\r\nHost: {name}\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 403", raw);
            Assert.Contains("X-Proxy-Error: blocked-by-private-address", raw);
            Assert.Contains(address, raw);
            Assert.Contains("**.example.test", raw);
        }
        Assert.Empty(server.Heads);
        Assert.All(decisions, d => Assert.Equal("blocked-by-private-address", d.Reason));
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task TheProxyConnectsToTheAddressItCheckedWithoutASecondLookup()
    {
        await using var server = new MiniHttpServer();
        // svc.test exists only in the fake resolver: reaching the server proves the checked answer was used.
        var resolver = new FakeResolver().Add("svc.test", "127.0.0.1");
        var (proxy, _) = await ProxyFixture.StartAsync(resolver, ["svc.test"]);
        await using var __ = proxy;

        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, $"GET http://svc.test:{server.Port}/ HTTP/1.1\r\nHost: svc.test\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK", raw);
        Assert.Equal(["svc.test"], resolver.Lookups);
    }

    [Fact]
    public async Task LocalBindingOpensLoopbackForWildcardHosts()
    {
        await using var server = new MiniHttpServer();
        var resolver = new FakeResolver().Add("api.dev.test", "127.0.0.1");
        var (proxy, _) = await ProxyFixture.StartAsync(resolver, ["*.dev.test"], local: true);
        await using var __ = proxy;
        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, $"GET http://api.dev.test:{server.Port}/ HTTP/1.1\r\nHost: api.dev.test\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK", raw);
    }

    [Fact]
    public async Task IpLiteralHostsNeedAnIpEntry()
    {
        await using var server = new MiniHttpServer();
        var (byName, _) = await ProxyFixture.StartAsync(new FakeResolver().Add("localhost", "127.0.0.1"), ["localhost"]);
        await using (byName)
        {
            var raw = await RawClient.ExchangeAsync(byName.HttpPort, $"GET http://127.0.0.1:{server.Port}/ HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 403", raw);
            Assert.Contains("blocked-by-allowlist", raw);
            raw = await RawClient.ExchangeAsync(byName.HttpPort, $"GET http://localhost:{server.Port}/ HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", raw);
        }
        var (byIp, _) = await ProxyFixture.StartAsync(new FakeResolver(), ["127.0.0.1"]);
        await using (byIp)
        {
            var raw = await RawClient.ExchangeAsync(byIp.HttpPort, $"GET http://127.0.0.1:{server.Port}/ip HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", raw);
            // Resolver tricks with numeric spellings are not host names at all.
            raw = await RawClient.ExchangeAsync(byIp.HttpPort, $"GET http://2130706433:{server.Port}/ HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 400", raw);
        }
    }

    [Fact]
    public async Task RequestBodyHeadersAndHopByHopHandling()
    {
        await using var server = new MiniHttpServer();
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test"]);
        await using var __ = proxy;
        var raw = await RawClient.ExchangeAsync(proxy.HttpPort,
            $"POST http://svc.test:{server.Port}/submit HTTP/1.1\r\nHost: spoofed.example\r\nProxy-Authorization: Basic c2VjcmV0\r\nProxy-Connection: keep-alive\r\nX-Custom: kept\r\nContent-Length: 11\r\n\r\nhello world");
        Assert.StartsWith("HTTP/1.1 200 OK", raw);
        Assert.Contains("body=hello world", raw);
        Assert.Contains("Connection: close", raw);
        Assert.DoesNotContain("Keep-Alive", raw);
        var head = Assert.Single(server.Heads);
        Assert.Contains($"Host: svc.test:{server.Port}", head);
        Assert.DoesNotContain("spoofed", head);
        Assert.DoesNotContain("Proxy-", head);
        Assert.Contains("X-Custom: kept", head);
    }

    [Theory]
    [InlineData("GET /relative HTTP/1.1\r\nHost: svc.test\r\n\r\n", "absolute http:// URI")]
    [InlineData("GET https://svc.test/ HTTP/1.1\r\nHost: svc.test\r\n\r\n", "CONNECT")]
    [InlineData("GET http://user@svc.test/ HTTP/1.1\r\n\r\n", "authority")]
    [InlineData("GET http://svc.test/ HTTP/2.0\r\n\r\n", "not valid HTTP")]
    [InlineData("GET http://svc.test/ HTTP/1.1\r\nBad Header: x\r\n\r\n", "not valid HTTP")]
    [InlineData("GET http://svc.test/ HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", "not valid HTTP")]
    [InlineData("POST http://svc.test/ HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "Content-Length")]
    [InlineData("CONNECT svc.test HTTP/1.1\r\n\r\n", "host:port")]
    public async Task MalformedRequestsGet400(string request, string mention)
    {
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test"]);
        await using var _ = proxy;
        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, request);
        Assert.StartsWith("HTTP/1.1 400", raw);
        Assert.Contains(mention, raw);
        Assert.Empty(decisions);
    }

    [Fact]
    public async Task OversizedHeadGets431()
    {
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver(), ["svc.test"], options: new NetworkProxyOptions { MaxHeaderBytes = 1024 });
        await using var __ = proxy;
        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, "GET http://svc.test/ HTTP/1.1\r\nX-Big: " + new string('a', 2000) + "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431", raw);
    }

    [Fact]
    public async Task SlowHeadTimesOut()
    {
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver(), ["svc.test"], options: new NetworkProxyOptions { HeaderTimeout = TimeSpan.FromMilliseconds(200) });
        await using var __ = proxy;
        using var s = await RawClient.ConnectAsync(proxy.HttpPort);
        await s.SendAsync("GET http://svc.test/ HTTP/1.1\r\n"u8.ToArray());
        var started = DateTime.UtcNow;
        var raw = await RawClient.ReadToEndAsync(s);
        Assert.StartsWith("HTTP/1.1 408", raw);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task UnresolvableAndRefusedUpstreamsGet502()
    {
        var closedPort = FreePort();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test", "nxdomain.test"]);
        await using var _ = proxy;
        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, "GET http://nxdomain.test/ HTTP/1.1\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 502", raw);
        Assert.Contains("could not be resolved", raw);
        raw = await RawClient.ExchangeAsync(proxy.HttpPort, $"GET http://svc.test:{closedPort}/ HTTP/1.1\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 502", raw);
        Assert.Equal(["resolve-failed", "allowed"], decisions.Select(d => d.Reason));
    }

    [Fact]
    public async Task ConnectionsBeyondTheLimitAreClosed()
    {
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver(), ["svc.test"], options: new NetworkProxyOptions { MaxConnections = 1 });
        await using var __ = proxy;
        using var first = await RawClient.ConnectAsync(proxy.HttpPort);
        await first.SendAsync("GET http://svc"u8.ToArray()); // holds the only slot
        for (var i = 0; i < 50 && proxy.ActiveConnections == 0; i++) await Task.Delay(20);
        Assert.Equal(1, proxy.ActiveConnections);
        using var second = await RawClient.ConnectAsync(proxy.HttpPort);
        Assert.Equal("", await RawClient.ReadToEndAsync(second));
    }

    [Fact]
    public async Task AThrowingAuditCallbackFailsClosed()
    {
        await using var server = new MiniHttpServer();
        var options = new NetworkProxyOptions { Resolver = new FakeResolver().Add("svc.test", "127.0.0.1").ResolveAsync };
        await using var proxy = await NetworkProxy.StartAsync(
            new NetworkPolicySettings { Mode = NetworkMode.Allowlist, AllowedDomains = ["svc.test"] }, _ => throw new IOException("disk full"), options);
        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, $"GET http://svc.test:{server.Port}/ HTTP/1.1\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 502", raw);
        Assert.Empty(server.Heads);
    }

    [Fact]
    public async Task ListensOnLoopbackOnly()
    {
        await using var proxy = await NetworkProxy.StartAsync(new NetworkPolicySettings(), null);
        Assert.Equal(IPAddress.Loopback, proxy.HttpEndPoint.Address);
        Assert.Equal(IPAddress.Loopback, proxy.SocksEndPoint.Address);
        Assert.NotEqual(proxy.HttpPort, proxy.SocksPort);
    }

    [Fact]
    public async Task InvalidSettingsAreRefusedAtStart() =>
        await Assert.ThrowsAsync<ArgumentException>(() => NetworkProxy.StartAsync(new NetworkPolicySettings { AllowedDomains = ["*"] }, null));

    internal static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
