using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// Everything an allowlist-mode run needs on the host: the proxy and, when the sandbox gets a private network namespace
/// (Linux with bubblewrap), a private folder of unix sockets the launcher's relay forwards to — the proxy's two and one
/// per <c>allowed_ports</c> port — so the command reaches nothing but these.
/// </summary>
internal sealed class AllowlistNetwork : IAsyncDisposable
{
    private readonly List<PortForwarder> _forwarders = [];
    private string? _folder;

    private AllowlistNetwork(NetworkProxy proxy) => Proxy = proxy;

    public NetworkProxy Proxy { get; }
    /// <summary>The bound proxy as a launch plan names it.</summary>
    public ProxyEndpoints Endpoints { get; private set; } = new();

    public static async Task<AllowlistNetwork> StartAsync(NetworkPolicySettings settings, bool bridge, Action<NetworkDecision>? onDecision)
    {
        string? folder = bridge ? Directory.CreateTempSubdirectory("codex-sandbox-net-").FullName : null;
        NetworkProxy proxy;
        try
        {
            proxy = await NetworkProxy.StartAsync(settings, onDecision, options: null, unixSocketDirectory: folder).ConfigureAwait(false);
        }
        catch
        {
            if (folder is not null) TryDelete(folder);
            throw;
        }
        var network = new AllowlistNetwork(proxy) { _folder = folder };
        try
        {
            var direct = DirectPorts.For(settings, proxy);
            var relays = new List<ProxyRelay>();
            if (folder is not null)
            {
                relays.Add(new ProxyRelay(proxy.HttpPort, proxy.HttpSocketPath!));
                relays.Add(new ProxyRelay(proxy.SocksPort, proxy.SocksSocketPath!));
                foreach (var port in direct.Where(p => p != proxy.HttpPort && p != proxy.SocksPort))
                {
                    var forwarder = PortForwarder.Start(Path.Combine(folder, $"port-{port}.sock"), port);
                    network._forwarders.Add(forwarder);
                    relays.Add(new ProxyRelay(port, forwarder.SocketPath));
                }
            }
            network.Endpoints = new ProxyEndpoints
            {
                HttpPort = proxy.HttpPort, SocksPort = proxy.SocksPort, DirectPorts = direct, Relays = relays, SocketFolder = folder,
            };
            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var f in _forwarders) await f.DisposeAsync().ConfigureAwait(false);
        await Proxy.DisposeAsync().ConfigureAwait(false);
        if (_folder is not null) TryDelete(_folder);
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
