using System.Net;
using System.Net.Sockets;

namespace CodexSandbox.Launcher.Tests.Network;

/// <summary>Network off blocks every non-unix socket and every connect; on allows it; allowlist allows TCP
/// connect only to the listed ports. Host unix sockets (pathname and abstract) stay unreachable.</summary>
[Collection(LauncherCollection.Name)]
public sealed class NetworkTests(LauncherFixture f)
{
    [Fact]
    public void TcpConnectToLoopbackListenerIsDeniedWhenOffAndWorksWhenOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var off = f.Run("--network", "off", "--", f.TryIt, "tcp-connect", port);
        Assert.Equal("socket: EPERM", off.Stdout.Trim());
        var on = f.Run("--network", "on", "--", f.TryIt, "tcp-connect", port);
        Assert.Equal("ok", on.Stdout.Trim());
    }

    [Theory]
    [InlineData("inet", "stream"), InlineData("inet", "dgram"), InlineData("inet", "raw"), InlineData("inet6", "stream"),
     InlineData("inet6", "dgram"), InlineData("netlink", "raw"), InlineData("packet", "raw"), InlineData("unix", "dgram")]
    public void SocketFamiliesAreDeniedWhenOff(string family, string type)
    {
        Assert.Equal("ok", ProcessRunner.Run(f.TryIt, ["socket", family, type]).Stdout.Trim());
        Assert.Equal("EPERM", f.Run("--", f.TryIt, "socket", family, type).Stdout.Trim());
        // Raw and packet sockets need CAP_NET_RAW, which the launcher always drops.
        string expectedWhenOn = type == "raw" && family != "netlink" ? "EPERM" : "ok";
        Assert.Equal(expectedWhenOn, f.Run("--network", "on", "--", f.TryIt, "socket", family, type).Stdout.Trim());
    }

    [Fact]
    public void UnixStreamSocketsAndSocketpairsStillWorkWhenOff()
    {
        Assert.Equal("ok", f.Run("--", f.TryIt, "socket", "unix", "stream").Stdout.Trim());
        Assert.Equal("ok", f.Run("--", f.TryIt, "socketpair", "stream").Stdout.Trim());
        Assert.Equal("EPERM", f.Run("--", f.TryIt, "tcp-listen").Stdout.Trim().Split(' ')[^1]);
    }

    [Fact]
    public async Task PathnameUnixSocketOutsideIsUnreachableWhenOff()
    {
        using var s = new Scratch();
        string path = s.InOutside("docker.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.Listen(4);
        var accepting = AcceptAndGreet(server);

        Assert.Equal("connect: EPERM", f.Run("--", f.TryIt, "unix-connect", path).Stdout.Trim());
        // The same socket is reachable when the network is on: the denial above is the filter's.
        Assert.Equal("ok hello", f.Run("--network", "on", "--", f.TryIt, "unix-connect", path).Stdout.Trim());
        await accepting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AbstractUnixSocketIsUnreachableInEveryNetworkMode()
    {
        string name = "codexsandbox-test-" + Guid.NewGuid().ToString("N");
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint("\0" + name));
        server.Listen(4);
        var accepting = AcceptAndGreet(server);

        Assert.Equal("connect: EPERM", f.Run("--", f.TryIt, "abstract-connect", name).Stdout.Trim());
        // With the network on, seccomp allows connect: the Landlock abstract-socket scope (ABI >= 6) refuses it.
        Assert.Equal("connect: EPERM", f.Run("--network", "on", "--", f.TryIt, "abstract-connect", name).Stdout.Trim());
        // An abstract socket created inside the sandbox stays usable there.
        Assert.Equal("ok", f.Run("--network", "on", "--", f.TryIt, "abstract-self", name + "-inner").Stdout.Trim());
        Assert.Equal("ok hello", ProcessRunner.Run(f.TryIt, ["abstract-connect", name]).Stdout.Trim());
        await accepting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void AllowlistModeAllowsOnlyListedTcpPorts()
    {
        using var allowedListener = new TcpListener(IPAddress.Loopback, 0);
        using var otherListener = new TcpListener(IPAddress.Loopback, 0);
        allowedListener.Start();
        otherListener.Start();
        string allowed = ((IPEndPoint)allowedListener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string other = ((IPEndPoint)otherListener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var allowlist = new[] { "--network", "allowlist", "--allow-tcp-connect", allowed, "--" };

        Assert.Equal("ok", f.Run([.. allowlist, f.TryIt, "tcp-connect", allowed]).Stdout.Trim());
        Assert.Equal("connect: EACCES", f.Run([.. allowlist, f.TryIt, "tcp-connect", other]).Stdout.Trim());
        Assert.Equal("EPERM", f.Run([.. allowlist, f.TryIt, "socket", "inet", "dgram"]).Stdout.Trim());
        Assert.Equal("EPERM", f.Run([.. allowlist, f.TryIt, "socket", "unix", "stream"]).Stdout.Trim());
        Assert.Equal("listen: EPERM", f.Run([.. allowlist, f.TryIt, "tcp-listen"]).Stdout.Trim());
    }

    [Fact]
    public async Task NoUnixSocketsKeepsHostPathnameSocketsClosedWithTheNetworkOn()
    {
        using var s = new Scratch();
        string path = s.InOutside("host.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.Listen(4);
        var accepting = AcceptAndGreet(server);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] on = ["--network", "on", "--no-unix-sockets", "--"];

        Assert.Equal("socket: EPERM", f.Run([.. on, f.TryIt, "unix-connect", path]).Stdout.Trim());
        Assert.Equal("ok", f.Run([.. on, f.TryIt, "socketpair", "stream"]).Stdout.Trim());
        Assert.Equal("ok", f.Run([.. on, f.TryIt, "tcp-connect", port]).Stdout.Trim());
        // Accepted with the other modes too; off loses its AF_UNIX exception, socketpair stays.
        Assert.Equal("EPERM", f.Run("--no-unix-sockets", "--", f.TryIt, "socket", "unix", "stream").Stdout.Trim());
        Assert.Equal("ok", f.Run("--no-unix-sockets", "--", f.TryIt, "socketpair", "stream").Stdout.Trim());
        Assert.Equal("EPERM", f.Run("--network", "allowlist", "--no-unix-sockets", "--", f.TryIt, "socket", "unix", "stream").Stdout.Trim());

        // Without the option the same socket answers: the denial above is the option's.
        Assert.Equal("ok hello", f.Run("--network", "on", "--", f.TryIt, "unix-connect", path).Stdout.Trim());
        await accepting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AllowUnixConnectOpensUnixStreamConnectsOnlyInOffAndAllowlist()
    {
        // The option is for a caller whose mount namespace hides every host socket but the allowed ones; alone, it
        // opens connect() for AF_UNIX stream sockets and nothing else.
        using var s = new Scratch();
        string path = s.InOutside("allowed.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.Listen(4);
        var first = AcceptAndGreet(server);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("ok hello", f.Run("--allow-unix-connect", "--", f.TryIt, "unix-connect", path).Stdout.Trim());
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("socket: EPERM", f.Run("--allow-unix-connect", "--", f.TryIt, "tcp-connect", port).Stdout.Trim());
        Assert.Equal("EPERM", f.Run("--allow-unix-connect", "--", f.TryIt, "socket", "unix", "dgram").Stdout.Trim());
        Assert.Equal("EPERM", f.Run("--allow-unix-connect", "--", f.TryIt, "tcp-listen").Stdout.Trim().Split(' ')[^1]);

        var second = AcceptAndGreet(server);
        string[] allowlist = ["--network", "allowlist", "--allow-tcp-connect", port, "--allow-unix-connect", "--"];
        Assert.Equal("ok hello", f.Run([.. allowlist, f.TryIt, "unix-connect", path]).Stdout.Trim());
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ok", f.Run([.. allowlist, f.TryIt, "tcp-connect", port]).Stdout.Trim());
        Assert.Equal("EPERM", f.Run([.. allowlist, f.TryIt, "socket", "unix", "dgram"]).Stdout.Trim());
        Assert.Equal("EPERM", f.Run([.. allowlist, f.TryIt, "socket", "inet", "dgram"]).Stdout.Trim());

        var both = f.Run("--allow-unix-connect", "--no-unix-sockets", "--", "/bin/true");
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("contradict", both.Stderr);
    }

    private static Task AcceptAndGreet(Socket server) => Task.Run(async () =>
    {
        using var client = await server.AcceptAsync();
        await client.SendAsync("hello"u8.ToArray());
    });
}
