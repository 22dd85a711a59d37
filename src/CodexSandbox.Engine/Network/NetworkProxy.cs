using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CodexSandbox.Engine.Network;

/// <summary>
/// The allowlist proxy for one sandboxed command: an HTTP proxy (absolute-form forwarding and CONNECT tunnels, no TLS
/// interception) and a SOCKS5 proxy (no authentication, CONNECT only), both on 127.0.0.1 with ephemeral ports, and
/// optionally also on two unix sockets (for a sandbox in its own network namespace, reached through the launcher's
/// <c>--relay</c>); both transports run the same sessions and decisions.
/// Each connection is decided by host name against a <see cref="DomainPolicy"/>; the name is resolved once, every address
/// is checked, and the proxy connects only to those checked addresses, so a second DNS answer cannot redirect it.
/// Every decision is passed to the callback (called concurrently from connection tasks; keep it quick and thread-safe).
/// If the callback throws, the connection is dropped without being forwarded (an audit failure fails closed).
/// </summary>
public sealed class NetworkProxy : IAsyncDisposable
{
    private readonly Socket _httpListener;
    private readonly Socket _socksListener;
    private readonly UnixListeners? _unix;
    private readonly Action<NetworkDecision>? _onDecision;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly SemaphoreSlim _slots;
    private Task _acceptLoops = Task.CompletedTask;
    private int _disposed;

    private NetworkProxy(DomainPolicy policy, Action<NetworkDecision>? onDecision, NetworkProxyOptions options, Socket http, Socket socks, UnixListeners? unix)
    {
        _unix = unix;
        Policy = policy;
        Options = options;
        _onDecision = onDecision;
        _httpListener = http;
        _socksListener = socks;
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        HttpEndPoint = (IPEndPoint)http.LocalEndPoint!;
        SocksEndPoint = (IPEndPoint)socks.LocalEndPoint!;
    }

    public DomainPolicy Policy { get; }
    public NetworkProxyOptions Options { get; }
    /// <summary>The HTTP proxy: 127.0.0.1 and an ephemeral port.</summary>
    public IPEndPoint HttpEndPoint { get; }
    /// <summary>The SOCKS5 proxy: 127.0.0.1 and an ephemeral port.</summary>
    public IPEndPoint SocksEndPoint { get; }
    public int HttpPort => HttpEndPoint.Port;
    public int SocksPort => SocksEndPoint.Port;
    /// <summary>The HTTP proxy's unix socket (<c>http.sock</c> in the folder given to StartAsync), or null.</summary>
    public string? HttpSocketPath => _unix?.HttpPath;
    /// <summary>The SOCKS5 proxy's unix socket (<c>socks.sock</c> in the folder given to StartAsync), or null.</summary>
    public string? SocksSocketPath => _unix?.SocksPath;
    /// <summary>Connections being served now.</summary>
    public int ActiveConnections => Options.MaxConnections - _slots.CurrentCount;

    /// <summary>Compiles <paramref name="settings"/> (throws <see cref="ArgumentException"/> when invalid) and starts the proxy.</summary>
    public static Task<NetworkProxy> StartAsync(NetworkPolicySettings settings, Action<NetworkDecision>? onDecision, NetworkProxyOptions? options = null,
        string? unixSocketDirectory = null) =>
        StartAsync(DomainPolicy.Create(settings), onDecision, options, unixSocketDirectory);

    /// <summary>
    /// Binds both listeners on 127.0.0.1 and starts accepting. Dispose the proxy when the command ends. With
    /// <paramref name="unixSocketDirectory"/>, the same two proxies also listen on <c>http.sock</c> and <c>socks.sock</c>
    /// in that folder (created with mode 0700 if missing, else set to 0700; it must not be a symlink; sockets mode 0600;
    /// both removed on dispose, and the folder too if this call created it and it is then empty). An existing file of
    /// either name is an error (<see cref="IOException"/>).
    /// </summary>
    public static Task<NetworkProxy> StartAsync(DomainPolicy policy, Action<NetworkDecision>? onDecision, NetworkProxyOptions? options = null,
        string? unixSocketDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new NetworkProxyOptions();
        if (options.MaxConnections < 1 || options.MaxHeaderBytes < 256)
            throw new ArgumentException("MaxConnections must be at least 1 and MaxHeaderBytes at least 256.", nameof(options));
        var http = Listen();
        Socket? socks = null;
        UnixListeners? unix = null;
        try
        {
            socks = Listen();
            if (unixSocketDirectory is not null) unix = UnixListeners.Create(unixSocketDirectory);
        }
        catch
        {
            http.Dispose();
            socks?.Dispose();
            throw;
        }
        var proxy = new NetworkProxy(policy, onDecision, options, http, socks, unix);
        var loops = new List<Task>
        {
            Task.Run(() => proxy.AcceptLoopAsync(http, HttpProxySession.RunAsync)),
            Task.Run(() => proxy.AcceptLoopAsync(socks, SocksProxySession.RunAsync)),
        };
        if (unix is not null)
        {
            loops.Add(Task.Run(() => proxy.AcceptLoopAsync(unix.Http, HttpProxySession.RunAsync)));
            loops.Add(Task.Run(() => proxy.AcceptLoopAsync(unix.Socks, SocksProxySession.RunAsync)));
        }
        proxy._acceptLoops = Task.WhenAll(loops);
        return Task.FromResult(proxy);
    }

    private static Socket Listen()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            s.Listen(512);
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    private async Task AcceptLoopAsync(Socket listener, Func<NetworkProxy, Socket, CancellationToken, Task> session)
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptAsync(ct).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException e)
            {
                // A client that reset before accept completed is harmless; anything else (out of descriptors) gets a pause, not a hot loop.
                if (e.SocketErrorCode is not (SocketError.ConnectionReset or SocketError.ConnectionAborted))
                {
                    try { await Task.Delay(50, ct).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return; }
                }
                continue;
            }

            if (!_slots.Wait(0))
            {
                client.Dispose();
                continue;
            }
            if (client.AddressFamily != AddressFamily.Unix) client.NoDelay = true;
            var task = Task.Run(async () =>
            {
                try { await session(this, client, ct).ConfigureAwait(false); }
                catch (Exception)
                {
                    // a reset, a cancelled read, or a malformed peer: this connection ends, the proxy goes on
                }
                finally
                {
                    client.Dispose();
                    _slots.Release();
                }
            }, CancellationToken.None);
            _sessions.TryAdd(task, 0);
            _ = task.ContinueWith(t => _sessions.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Decides one request and, when allowed, connects to a checked address. <paramref name="rawHost"/> is the host as the
    /// client wrote it. Records exactly one decision unless the upstream connect itself fails.
    /// </summary>
    internal async Task<ConnectOutcome> OpenAsync(string rawHost, int port, string protocol, CancellationToken ct)
    {
        var host = HostName.Normalize(rawHost);
        if (host is null || port is < 1 or > 65535)
        {
            var shown = host ?? rawHost;
            var verdict = new HostVerdict(false, ProxyReasons.InvalidHost, null, false,
                host is null ? $"'{Truncate(rawHost)}' is not a valid host name or IP address" : $"port {port} is not a valid TCP port");
            Report(shown, port, protocol, verdict, null);
            return new ConnectOutcome { Blocked = verdict };
        }

        // limited mode: a tunnel is refused whatever its host, since what goes through it cannot be checked
        if (protocol != "http" && Policy.CheckTunnel(protocol) is { } tunnel)
        {
            Report(host, port, protocol, tunnel, null);
            return new ConnectOutcome { Blocked = tunnel };
        }

        var byName = Policy.Evaluate(host);
        if (!byName.Allowed)
        {
            Report(host, port, protocol, byName, null);
            return new ConnectOutcome { Blocked = byName };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.ConnectTimeout);
        IPAddress[] addresses;
        if (HostName.TryParseIp(host, out var literal)) addresses = [literal];
        else
        {
            try { addresses = await Options.Resolver(host, timeout.Token).ConfigureAwait(false); }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                addresses = []; // NXDOMAIN, a time-out, or a resolver fault: all mean "no address to check"
            }
            if (addresses.Length == 0)
            {
                var failed = new HostVerdict(false, ProxyReasons.ResolveFailed, byName.Rule, false, $"host '{host}' could not be resolved");
                Report(host, port, protocol, failed, null);
                return new ConnectOutcome { Failure = failed.Message, FailureCode = SocketError.HostNotFound };
            }
        }
        addresses = addresses.Select(HostName.Canonical).Distinct().ToArray();

        var checkedVerdict = Policy.CheckAddresses(host, byName, addresses);
        if (!Report(host, port, protocol, checkedVerdict, HostName.Format(checkedVerdict.Address ?? addresses[0])))
            return new ConnectOutcome { Failure = "the network decision could not be recorded", FailureCode = SocketError.AccessDenied };
        if (!checkedVerdict.Allowed) return new ConnectOutcome { Blocked = checkedVerdict };

        var last = SocketError.HostUnreachable;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
                return new ConnectOutcome { Upstream = socket };
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e.SocketErrorCode;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                return new ConnectOutcome { Failure = $"connecting to {host}:{port} timed out", FailureCode = SocketError.TimedOut, TimedOut = true };
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        return new ConnectOutcome { Failure = $"connecting to {host}:{port} failed ({last})", FailureCode = last };
    }

    /// <summary>Passes a decision to the callback; false when the callback threw.</summary>
    internal bool Report(string host, int port, string protocol, HostVerdict verdict, string? address)
    {
        if (_onDecision is null) return true;
        try
        {
            _onDecision(new NetworkDecision(host, port, protocol, verdict.Allowed, verdict.Reason, verdict.Rule?.Text, verdict.Message, address, DateTimeOffset.UtcNow));
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    internal static string Truncate(string s) => s.Length <= 100 ? s : s[..100] + "…";

    /// <summary>Stops every listener (removing the unix sockets) and closes every open connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _httpListener.Dispose();
        _socksListener.Dispose();
        _unix?.Dispose();
        await _acceptLoops.ConfigureAwait(false);
        var pending = _sessions.Keys.ToArray();
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }
}
