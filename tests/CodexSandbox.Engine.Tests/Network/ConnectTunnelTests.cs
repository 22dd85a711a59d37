using System.Text;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

public class ConnectTunnelTests
{
    [Fact]
    public async Task ConnectTunnelsBytesBothWays()
    {
        await using var echo = new EchoServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("echo.test", "127.0.0.1"), ["echo.test"]);
        await using var _ = proxy;
        using var s = await RawClient.ConnectAsync(proxy.HttpPort);
        // The first tunnel bytes ride in the same packet as the CONNECT head, as TLS clients often do.
        await s.SendAsync(Encoding.ASCII.GetBytes($"CONNECT echo.test:{echo.Port} HTTP/1.1\r\nHost: echo.test:{echo.Port}\r\n\r\nearly"));
        Assert.StartsWith("HTTP/1.1 200", await RawClient.ReadHeadAsync(s));
        Assert.Equal("early", Encoding.ASCII.GetString(await RawClient.ReceiveExactlyAsync(s, 5)));
        var payload = new byte[100_000];
        Random.Shared.NextBytes(payload);
        var send = s.SendAsync(payload);
        var back = await RawClient.ReceiveExactlyAsync(s, payload.Length);
        await send;
        Assert.Equal(payload, back);
        var d = Assert.Single(decisions);
        Assert.Equal(("echo.test", echo.Port, "connect", true), (d.Host, d.Port, d.Protocol, d.Allowed));
    }

    [Fact]
    public async Task BlockedConnectGets403AndNoTunnel()
    {
        await using var echo = new EchoServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("echo.test", "127.0.0.1"), ["**.example.test"]);
        await using var _ = proxy;
        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, $"CONNECT echo.test:{echo.Port} HTTP/1.1\r\n\r\nsecret");
        Assert.StartsWith("HTTP/1.1 403", raw);
        Assert.Contains("X-Proxy-Error: blocked-by-allowlist", raw);
        Assert.DoesNotContain("secret", raw);
        Assert.Equal("blocked-by-allowlist", Assert.Single(decisions).Reason);
    }

    [Fact]
    public async Task ConnectToAWildcardNameResolvingToLoopbackIsRefused()
    {
        await using var echo = new EchoServer();
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver().Add("rebind.example.test", "127.0.0.1"), ["**.example.test"]);
        await using var __ = proxy;
        var raw = await RawClient.ExchangeAsync(proxy.HttpPort, $"CONNECT rebind.example.test:{echo.Port} HTTP/1.1\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403", raw);
        Assert.Contains("X-Proxy-Error: blocked-by-private-address", raw);
    }

    [Fact]
    public async Task IPv6LiteralConnect()
    {
        await using var echo = new EchoServer(System.Net.IPAddress.IPv6Loopback);
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver(), ["::1"]);
        await using var __ = proxy;
        using var s = await RawClient.ConnectAsync(proxy.HttpPort);
        await s.SendAsync(Encoding.ASCII.GetBytes($"CONNECT [::1]:{echo.Port} HTTP/1.1\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 200", await RawClient.ReadHeadAsync(s));
        await s.SendAsync("ping"u8.ToArray());
        Assert.Equal("ping", Encoding.ASCII.GetString(await RawClient.ReceiveExactlyAsync(s, 4)));
    }

    [Fact]
    public async Task DisposingTheProxyClosesOpenTunnels()
    {
        await using var echo = new EchoServer();
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver().Add("echo.test", "127.0.0.1"), ["echo.test"]);
        using var s = await RawClient.ConnectAsync(proxy.HttpPort);
        await s.SendAsync(Encoding.ASCII.GetBytes($"CONNECT echo.test:{echo.Port} HTTP/1.1\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 200", await RawClient.ReadHeadAsync(s));
        Assert.Equal(1, proxy.ActiveConnections);
        await proxy.DisposeAsync();
        Assert.Equal("", await RawClient.ReadToEndAsync(s));
        Assert.Equal(0, proxy.ActiveConnections);
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => RawClient.ConnectAsync(proxy.HttpPort));
    }

    [Fact]
    public async Task IdleTunnelsAreClosed()
    {
        await using var echo = new EchoServer();
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver().Add("echo.test", "127.0.0.1"), ["echo.test"],
            options: new NetworkProxyOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await using var __ = proxy;
        using var s = await RawClient.ConnectAsync(proxy.HttpPort);
        await s.SendAsync(Encoding.ASCII.GetBytes($"CONNECT echo.test:{echo.Port} HTTP/1.1\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 200", await RawClient.ReadHeadAsync(s));
        var started = DateTime.UtcNow;
        Assert.Equal("", await RawClient.ReadToEndAsync(s));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }
}
