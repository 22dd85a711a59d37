extern alias engine;

using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using engine::CodexSandbox.Engine.Backends.Linux;
using engine::CodexSandbox.Engine.Network;

namespace CodexSandbox.Launcher.Tests.Network;

/// <summary>--relay PORT=SOCKETPATH: the command reaches a unix socket (the host-side proxy's, bind-mounted
/// into the sandbox) through 127.0.0.1:PORT, while inside bwrap's private network namespace nothing
/// else is reachable; the relay process itself is confined and out of the command's reach.</summary>
[Collection(LauncherCollection.Name)]
public sealed class RelayTests(LauncherFixture f)
{
    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A unix stream socket that sends back everything it receives and half-closes after the
    /// client's end of stream.</summary>
    private sealed class UnixEcho : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private int _connections;

        public UnixEcho(string path)
        {
            Path = path;
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen(16);
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    Socket c;
                    try { c = await _listener.AcceptAsync(); }
                    catch (Exception) { return; }
                    Interlocked.Increment(ref _connections);
                    _ = Task.Run(async () =>
                    {
                        using var _ = c;
                        var buffer = new byte[65536];
                        try
                        {
                            int n;
                            while ((n = await c.ReceiveAsync(buffer)) > 0) await c.SendAsync(buffer.AsMemory(0, n));
                            c.Shutdown(SocketShutdown.Send);
                        }
                        catch (SocketException) { }
                    });
                }
            });
        }

        public string Path { get; }
        public int Connections => Volatile.Read(ref _connections);

        public void Dispose() => _listener.Dispose();
    }

    private static IPAddress? HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    [Fact]
    public void ConnectionsToTheRelayPortReachTheUnixSocketBothWays()
    {
        using var s = new Scratch();
        using var echo = new UnixEcho(s.InOutside("proxy.sock"));
        int port = FreeLoopbackPort();
        string[] relay = ["--network", "allowlist", "--relay", $"{port}={echo.Path}", "--"];

        // 3 MB each way with a half-close at the end: the reply must be complete and end cleanly.
        var big = f.Run([.. relay, f.TryIt, "tcp-echo", "127.0.0.1", Text(port), "3000000"]);
        Assert.Equal("ok 3000000", big.Stdout.Trim());
        Assert.Equal(0, big.ExitCode);

        // Several clients at once.
        var many = f.Run([.. relay, "sh", "-c",
            $"for i in 1 2 3 4 5 6 7 8; do {f.TryIt} tcp-echo 127.0.0.1 {port} 200000 & done; wait"]);
        Assert.Equal(Enumerable.Repeat("ok 200000", 8), many.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(9, echo.Connections);
    }

    [Fact]
    public void RelayIsConfinedOutOfTheCommandsReachAndEndsWithTheCommand()
    {
        using var s = new Scratch();
        using var echo = new UnixEcho(s.InOutside("proxy.sock"));
        int port = FreeLoopbackPort();
        // The relay is the command's only child when the command starts.
        string script = "read R rest < /proc/$$/task/$$/children; grep -E '^(NoNewPrivs|Seccomp|CapEff):' /proc/$R/status; " +
                        $"tr '\\0' ' ' < /proc/$R/cmdline; echo; {f.TryIt} kill $R 9; {f.TryIt} ptrace-attach $R; " +
                        $"{f.TryIt} tcp-echo 127.0.0.1 {port} 1000";
        var r = f.Run("--network", "allowlist", "--relay", $"{port}={echo.Path}", "--", "sh", "-c", script);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"CapEff:\s+0000000000000000", r.Stdout);
        Assert.Matches(@"NoNewPrivs:\s+1", r.Stdout);
        Assert.Matches(@"Seccomp:\s+2", r.Stdout);
        Assert.Contains(lines, l => l.StartsWith("codex-linux-sandbox --relay-process " + echo.Path, StringComparison.Ordinal));
        Assert.Equal(["EPERM", "EPERM", "ok 1000"], lines[^3..]); // kill, ptrace, and the relay still works
        Assert.Equal(0, r.ExitCode);

        // The command is gone, so is the relay (it watches a pidfd of the command).
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (RelaysFor(echo.Path) > 0 && sw.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(20);
        Assert.Equal(0, RelaysFor(echo.Path));
    }

    private static int RelaysFor(string socketPath) =>
        Directory.EnumerateDirectories("/proc").Count(dir =>
        {
            try { return File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("--relay-process\0" + socketPath, StringComparison.Ordinal); }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        });

    [Fact]
    public void InsideBwrapOnlyTheRelayIsReachable()
    {
        Assert.True(BwrapProbe.Current.Works, BwrapProbe.Current.Problem);
        using var s = new Scratch();
        using var echo = new UnixEcho(s.InOutside("proxy.sock"));
        var host = HostAddress();
        Assert.NotNull(host);

        // A host listener on every address, on the very port the relay uses inside.
        using var outside = new TcpListener(IPAddress.Any, 0);
        outside.Start();
        int port = ((IPEndPoint)outside.LocalEndpoint).Port;
        int other = FreeLoopbackPort();

        // Launcher alone (no namespace): Landlock allows the port on any address, so the host
        // listener is reachable (finding E7). This is what the namespace plus the relay fix.
        var alone = f.Run("--network", "allowlist", "--allow-tcp-connect", Text(port), "--", f.TryIt, "tcp-connect-to", host.ToString(), Text(port));
        Assert.Equal("ok", alone.Stdout.Trim());

        string[] bwrap = [.. BwrapProbe.BaseArguments, "--unshare-net", "--bind", s.Outside, s.Outside, "--"];
        string script = $"{f.TryIt} tcp-echo 127.0.0.1 {port} 100000; {f.TryIt} tcp-connect-to {host} {port}; " +
                        $"{f.TryIt} tcp-connect-to 127.0.0.1 {other}; {f.TryIt} socket unix stream";
        var r = ProcessRunner.Run("bwrap", [.. bwrap, f.Launcher, "--network", "allowlist", "--allow-tcp-connect", Text(port),
            "--relay", $"{port}={echo.Path}", "--", "sh", "-c", script]);
        Assert.Equal(["ok 100000", "connect: ENETUNREACH", "connect: EACCES", "EPERM"],
            r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, echo.Connections);
    }

    [Fact]
    public async Task HttpClientInsideBwrapUsesTheHostProxyThroughTheRelay()
    {
        Assert.True(BwrapProbe.Current.Works, BwrapProbe.Current.Problem);
        using var s = new Scratch();
        // An origin server on the host's loopback, which the sandbox cannot reach by itself.
        using var origin = new TcpListener(IPAddress.Loopback, 0);
        origin.Start();
        int originPort = ((IPEndPoint)origin.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            while (true)
            {
                using var c = await origin.AcceptTcpClientAsync();
                var stream = c.GetStream();
                var head = new byte[4096];
                int n = await stream.ReadAsync(head);
                string line = Encoding.ASCII.GetString(head, 0, n).Split("\r\n")[0];
                string body = "origin saw: " + line + "\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
            }
        });

        var settings = new NetworkPolicySettings
        {
            Mode = CodexSandbox.NetworkMode.Allowlist,
            AllowedDomains = ["allowed.test"],
            AllowLocalBinding = true,
        };
        var options = new NetworkProxyOptions { Resolver = (_, _) => Task.FromResult(new[] { IPAddress.Loopback }) };
        await using var proxy = await NetworkProxy.StartAsync(settings, null, options, Path.Combine(s.Outside, "proxy"));
        int port = FreeLoopbackPort();

        string[] bwrap = [.. BwrapProbe.BaseArguments, "--unshare-net", "--bind", s.Outside, s.Outside, "--"];
        string script = $"curl -sS -x http://127.0.0.1:{port} http://allowed.test:{originPort}/hello; " +
                        $"curl -sS -o /dev/null -w '%{{http_code}}\\n' -x http://127.0.0.1:{port} http://denied.test:{originPort}/";
        var r = await Task.Run(() => ProcessRunner.Run("bwrap", [.. bwrap, f.Launcher, "--network", "allowlist",
            "--relay", $"{port}={proxy.HttpSocketPath}", "--", "sh", "-c", script]));
        Assert.Equal($"origin saw: GET /hello HTTP/1.1\n403\n", r.Stdout);
        Assert.False(serving.IsFaulted);
    }

    [Fact]
    public void PortAlreadyInUseIs125WithOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var r = f.Run("--network", "allowlist", "--relay", $"{port}=/nonexistent.sock", "--", "true");
        Assert.Equal(125, r.ExitCode);
        Assert.Equal($"codex-linux-sandbox: --relay: 127.0.0.1:{port}: Address already in use\n", r.Stderr);
    }
}
