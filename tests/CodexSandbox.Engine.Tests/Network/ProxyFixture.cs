using System.Collections.Concurrent;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

/// <summary>Starts a proxy with a fake resolver and collects its decisions.</summary>
internal static class ProxyFixture
{
    public static async Task<(NetworkProxy Proxy, ConcurrentQueue<NetworkDecision> Decisions)> StartAsync(
        FakeResolver resolver, string[] allow, string[]? deny = null, bool local = false, NetworkProxyOptions? options = null, bool limited = false)
    {
        var decisions = new ConcurrentQueue<NetworkDecision>();
        var settings = new NetworkPolicySettings { Mode = NetworkMode.Allowlist, AllowedDomains = allow, DeniedDomains = deny ?? [], AllowLocalBinding = local, Limited = limited };
        var opts = options ?? new NetworkProxyOptions();
        opts = new NetworkProxyOptions
        {
            Resolver = resolver.ResolveAsync,
            HeaderTimeout = opts.HeaderTimeout,
            ConnectTimeout = opts.ConnectTimeout,
            IdleTimeout = opts.IdleTimeout,
            MaxHeaderBytes = opts.MaxHeaderBytes,
            MaxConnections = opts.MaxConnections,
        };
        var proxy = await NetworkProxy.StartAsync(settings, decisions.Enqueue, opts);
        return (proxy, decisions);
    }
}
