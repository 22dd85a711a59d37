using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

/// <summary>The proxy also listens on two unix sockets (for a sandbox in its own network namespace, reached through the
/// launcher's --relay), served by the same sessions and decisions as the TCP listeners.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnixSocketProxyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cs-proxy-unix-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private async Task<(NetworkProxy Proxy, ConcurrentQueue<NetworkDecision> Decisions)> StartAsync(FakeResolver resolver, string[] allow, string[]? deny = null)
    {
        var decisions = new ConcurrentQueue<NetworkDecision>();
        var settings = new NetworkPolicySettings { Mode = NetworkMode.Allowlist, AllowedDomains = allow, DeniedDomains = deny ?? [], AllowLocalBinding = true };
        var proxy = await NetworkProxy.StartAsync(settings, decisions.Enqueue, new NetworkProxyOptions { Resolver = resolver.ResolveAsync }, Path.Combine(_root, "sockets"));
        return (proxy, decisions);
    }

    private static async Task<Socket> ConnectUnixAsync(string path)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await s.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return s;
    }

    private static async Task<string> ExchangeUnixAsync(string path, string request)
    {
        using var s = await ConnectUnixAsync(path);
        await s.SendAsync(Encoding.Latin1.GetBytes(request));
        return await RawClient.ReadToEndAsync(s);
    }

    [Fact]
    public async Task RealHttpClientThroughTheUnixSocketReachesAnAllowedHost()
    {
        await using var server = new MiniHttpServer();
        var (proxy, decisions) = await StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test"]);
        await using var _ = proxy;
        Assert.NotNull(proxy.HttpSocketPath);

        // The handler believes it talks to a TCP proxy; every connection actually goes to the unix socket.
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy("http://proxy.invalid:3128"),
            UseProxy = true,
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(proxy.HttpSocketPath!), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
        var response = await client.GetAsync($"http://svc.test:{server.Port}/over-unix");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("line=GET /over-unix HTTP/1.1", await response.Content.ReadAsStringAsync());
        var d = Assert.Single(decisions);
        Assert.True(d.Allowed);
        Assert.Equal(("svc.test", "http", "127.0.0.1"), (d.Host, d.Protocol, d.Address));
    }

    [Fact]
    public async Task DeniedHostGetsTheSame403OverUnixAsOverTcp()
    {
        await using var server = new MiniHttpServer();
        var resolver = new FakeResolver().Add("x.bad.test", "127.0.0.1");
        var (proxy, decisions) = await StartAsync(resolver, ["**.test"], ["*.bad.test"]);
        await using var _ = proxy;

        string request = $"GET http://x.bad.test:{server.Port}/ HTTP/1.1\r\nHost: x.bad.test\r\n\r\n";
        var overTcp = await RawClient.ExchangeAsync(proxy.HttpPort, request);
        var overUnix = await ExchangeUnixAsync(proxy.HttpSocketPath!, request);

        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", overUnix);
        Assert.Contains("X-Proxy-Error: blocked-by-denylist\r\n", overUnix);
        Assert.Equal(overTcp, overUnix);
        Assert.Empty(server.Heads);
        Assert.Equal(2, decisions.Count(d => !d.Allowed && d.Rule == "*.bad.test"));
    }

    [Fact]
    public async Task Socks5ThroughTheUnixSocketConnectsAllowedAndRefusesOthers()
    {
        await using var server = new MiniHttpServer();
        var (proxy, decisions) = await StartAsync(new FakeResolver().Add("svc.test", "127.0.0.1"), ["svc.test"]);
        await using var _ = proxy;

        async Task<(byte Reply, Socket Socket)> ConnectAsync(string host)
        {
            var s = await ConnectUnixAsync(proxy.SocksSocketPath!);
            await s.SendAsync(new byte[] { 5, 1, 0 });
            Assert.Equal(new byte[] { 5, 0 }, await RawClient.ReceiveExactlyAsync(s, 2));
            var name = Encoding.ASCII.GetBytes(host);
            var request = new byte[7 + name.Length];
            request[0] = 5; request[1] = 1; request[3] = 3; request[4] = (byte)name.Length;
            name.CopyTo(request, 5);
            BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(5 + name.Length), (ushort)server.Port);
            await s.SendAsync(request);
            var reply = await RawClient.ReceiveExactlyAsync(s, 10); // IPv4 bound address in the reply
            return (reply[1], s);
        }

        var (allowed, tunnel) = await ConnectAsync("svc.test");
        using (tunnel)
        {
            Assert.Equal(0, allowed);
            await tunnel.SendAsync(Encoding.ASCII.GetBytes("GET /socks HTTP/1.1\r\nHost: svc.test\r\nConnection: close\r\n\r\n"));
            Assert.Contains("line=GET /socks HTTP/1.1", await RawClient.ReadToEndAsync(tunnel));
        }
        var (refused, other) = await ConnectAsync("other.test");
        other.Dispose();
        Assert.Equal(2, refused); // connection not allowed by ruleset
        Assert.Equal([true, false], decisions.Select(d => d.Allowed));
    }

    [Fact]
    public async Task SocketsAreOwnerOnlyAndRemovedOnDispose()
    {
        string folder = Path.Combine(_root, "sockets");
        var (proxy, _) = await StartAsync(new FakeResolver(), ["svc.test"]);
        string http = proxy.HttpSocketPath!, socks = proxy.SocksSocketPath!;
        Assert.Equal(Path.Combine(folder, "http.sock"), http);
        Assert.Equal(Path.Combine(folder, "socks.sock"), socks);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(http));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socks));
        // The TCP listeners are still there too.
        using (var tcp = await RawClient.ConnectAsync(proxy.HttpPort)) Assert.True(tcp.Connected);

        await proxy.DisposeAsync();
        Assert.False(Path.Exists(http));
        Assert.False(Path.Exists(socks));
        Assert.False(Directory.Exists(folder)); // created by the proxy, so removed with it
        await Assert.ThrowsAsync<SocketException>(() => ConnectUnixAsync(http));
    }

    [Fact]
    public async Task AStaleSocketFileIsNotReusedOrDeleted()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_root, "sockets")).FullName;
        File.WriteAllText(Path.Combine(folder, "socks.sock"), "someone else's");
        await Assert.ThrowsAsync<IOException>(() => StartAsync(new FakeResolver(), ["svc.test"]));
        Assert.Equal("someone else's", File.ReadAllText(Path.Combine(folder, "socks.sock")));
        Assert.False(Path.Exists(Path.Combine(folder, "http.sock")));
    }

    [Fact]
    public async Task WithoutAFolderThereAreNoUnixSockets()
    {
        var settings = new NetworkPolicySettings { Mode = NetworkMode.Allowlist, AllowedDomains = ["svc.test"] };
        await using var proxy = await NetworkProxy.StartAsync(settings, null);
        Assert.Null(proxy.HttpSocketPath);
        Assert.Null(proxy.SocksSocketPath);
    }
}
