using System.Buffers.Binary;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

public class SocksProxyTests
{
    /// <summary>Greets with "no authentication", sends a request, returns the socket and the reply code.</summary>
    private static async Task<(Socket Socket, byte Reply)> RequestAsync(int proxyPort, byte command, byte addressType, byte[] address, int port)
    {
        var s = await RawClient.ConnectAsync(proxyPort);
        await s.SendAsync(new byte[] { 5, 1, 0 });
        Assert.Equal(new byte[] { 5, 0 }, await RawClient.ReceiveExactlyAsync(s, 2));
        var req = new List<byte> { 5, command, 0, addressType };
        if (addressType == 3) req.Add((byte)address.Length);
        req.AddRange(address);
        var p = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(p, (ushort)port);
        req.AddRange(p);
        await s.SendAsync(req.ToArray());
        var head = await RawClient.ReceiveExactlyAsync(s, 4);
        Assert.Equal(5, head[0]);
        await RawClient.ReceiveExactlyAsync(s, (head[3] == 4 ? 16 : 4) + 2);
        return (s, head[1]);
    }

    private static async Task AssertEchoAsync(Socket s)
    {
        await s.SendAsync("through socks"u8.ToArray());
        Assert.Equal("through socks", Encoding.ASCII.GetString(await RawClient.ReceiveExactlyAsync(s, 13)));
    }

    [Fact]
    public async Task DomainNameConnectIsDecidedByName()
    {
        await using var echo = new EchoServer();
        var resolver = new FakeResolver().Add("echo.test", "127.0.0.1").Add("other.test", "127.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["echo.test"]);
        await using var _ = proxy;

        var (ok, reply) = await RequestAsync(proxy.SocksPort, 1, 3, Encoding.ASCII.GetBytes("ECHO.test"), echo.Port);
        using (ok)
        {
            Assert.Equal(0, reply);
            await AssertEchoAsync(ok);
        }
        var (blocked, refused) = await RequestAsync(proxy.SocksPort, 1, 3, Encoding.ASCII.GetBytes("other.test"), echo.Port);
        using (blocked)
        {
            Assert.Equal(0x02, refused); // connection not allowed by ruleset
            Assert.Equal("", await RawClient.ReadToEndAsync(blocked));
        }
        Assert.Equal([("echo.test", "socks5", true), ("other.test", "socks5", false)], decisions.Select(d => (d.Host, d.Protocol, d.Allowed)));
    }

    [Fact]
    public async Task IPv4AndIPv6AddressTypesNeedIpEntries()
    {
        await using var echo4 = new EchoServer();
        await using var echo6 = new EchoServer(IPAddress.IPv6Loopback);
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver(), ["127.0.0.1", "::1"]);
        await using var _ = proxy;

        var (s4, r4) = await RequestAsync(proxy.SocksPort, 1, 1, IPAddress.Loopback.GetAddressBytes(), echo4.Port);
        using (s4) { Assert.Equal(0, r4); await AssertEchoAsync(s4); }
        var (s6, r6) = await RequestAsync(proxy.SocksPort, 1, 4, IPAddress.IPv6Loopback.GetAddressBytes(), echo6.Port);
        using (s6) { Assert.Equal(0, r6); await AssertEchoAsync(s6); }
        var (sx, rx) = await RequestAsync(proxy.SocksPort, 1, 1, IPAddress.Parse("127.0.0.2").GetAddressBytes(), echo4.Port);
        using (sx) Assert.Equal(0x02, rx);
        Assert.Equal(["127.0.0.1", "::1", "127.0.0.2"], decisions.Select(d => d.Host));
    }

    [Fact]
    public async Task RebindingThroughSocksIsRefused()
    {
        await using var echo = new EchoServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("evil.test", "10.0.0.1"), ["**.test"]);
        await using var _ = proxy;
        var (s, reply) = await RequestAsync(proxy.SocksPort, 1, 3, Encoding.ASCII.GetBytes("evil.test"), echo.Port);
        using (s) Assert.Equal(0x02, reply);
        var d = Assert.Single(decisions);
        Assert.Equal(("blocked-by-private-address", "10.0.0.1"), (d.Reason, d.Address));
    }

    [Fact]
    public async Task UdpAssociateAndBindAreRefused()
    {
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver(), ["127.0.0.1"]);
        await using var _ = proxy;
        var (udp, r1) = await RequestAsync(proxy.SocksPort, 3, 1, IPAddress.Loopback.GetAddressBytes(), 53);
        using (udp) Assert.Equal(0x07, r1);
        var (bind, r2) = await RequestAsync(proxy.SocksPort, 2, 1, IPAddress.Loopback.GetAddressBytes(), 8000);
        using (bind) Assert.Equal(0x07, r2);
        var d = Assert.Single(decisions);
        Assert.Equal(("blocked-udp", false), (d.Reason, d.Allowed));
    }

    [Fact]
    public async Task OnlyTheNoAuthenticationMethodIsOffered()
    {
        var (proxy, _) = await ProxyFixture.StartAsync(new FakeResolver(), ["127.0.0.1"]);
        await using var __ = proxy;
        using var s = await RawClient.ConnectAsync(proxy.SocksPort);
        await s.SendAsync(new byte[] { 5, 1, 2 }); // username/password only
        Assert.Equal(new byte[] { 5, 0xFF }, await RawClient.ReceiveExactlyAsync(s, 2));
        Assert.Equal("", await RawClient.ReadToEndAsync(s));
    }

    [Fact]
    public async Task DotNetSocksClientReachesAnAllowedHost()
    {
        await using var server = new MiniHttpServer();
        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test"]);
        await using var _ = proxy;
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"socks5://127.0.0.1:{proxy.SocksPort}"), UseProxy = true });
        var body = await client.GetStringAsync($"http://svc.test:{server.Port}/via-socks");
        Assert.Contains("line=GET /via-socks HTTP/1.1", body);
        Assert.Equal(("svc.test", "socks5"), (Assert.Single(decisions).Host, decisions.Single().Protocol));
    }
}
