namespace CodexSandbox.Engine.Network;

/// <summary>
/// The variables that point a sandboxed command's tools at the proxy. Values override whatever the parent had.
/// <para>
/// <c>NO_PROXY</c>/<c>no_proxy</c> are set to the empty string on purpose. In allowlist mode the sandbox may open TCP
/// connections only to the proxy ports and <c>allowed_ports</c>, so a host listed in NO_PROXY (Codex lists localhost and
/// the private ranges) would make clients skip the proxy and then fail on a blocked direct connect, with a confusing
/// error and no audit record. Every name goes through the proxy instead; to reach a local service by HTTP, put
/// <c>localhost</c> (or <c>127.0.0.1</c>) in <c>allowed_domains</c>, or add its port to <c>allowed_ports</c> and
/// connect without a proxy.
/// </para>
/// </summary>
public static class ProxyEnvironment
{
    /// <summary>The variables for a proxy listening on 127.0.0.1 at the given ports.</summary>
    public static IReadOnlyDictionary<string, string> Build(int httpPort, int socksPort, bool allowLocalBinding = false)
    {
        if (httpPort is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(httpPort));
        if (socksPort is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(socksPort));
        var http = $"http://127.0.0.1:{httpPort}";
        // socks5h: the client sends the name, so the proxy (not the sandbox) resolves it and applies the name rules.
        var socks = $"socks5h://127.0.0.1:{socksPort}";
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["HTTP_PROXY"] = http,
            ["HTTPS_PROXY"] = http,
            ["ALL_PROXY"] = socks,
            ["WS_PROXY"] = http,
            ["WSS_PROXY"] = http,
            ["http_proxy"] = http,
            ["https_proxy"] = http,
            ["all_proxy"] = socks,
            ["ws_proxy"] = http,
            ["wss_proxy"] = http,
            ["NO_PROXY"] = "",
            ["no_proxy"] = "",
            ["npm_config_proxy"] = http,
            ["npm_config_https_proxy"] = http,
            ["npm_config_noproxy"] = "",
            ["YARN_HTTP_PROXY"] = http,
            ["YARN_HTTPS_PROXY"] = http,
            ["PIP_PROXY"] = http,
            ["BUNDLE_HTTP_PROXY"] = http,
            ["BUNDLE_HTTPS_PROXY"] = http,
            // Node.js ≥ 24 and Electron's downloader read the variables above only when asked to.
            ["NODE_USE_ENV_PROXY"] = "1",
            ["ELECTRON_GET_USE_PROXY"] = "1",
            ["CODEX_NETWORK_PROXY_ACTIVE"] = "1",
        };
        if (allowLocalBinding) env["CODEX_NETWORK_ALLOW_LOCAL_BINDING"] = "1";
        return env;
    }

    /// <summary>The variables for a running proxy.</summary>
    public static IReadOnlyDictionary<string, string> Build(NetworkProxy proxy) =>
        Build(proxy.HttpPort, proxy.SocksPort, proxy.Policy.AllowLocalBinding);
}
