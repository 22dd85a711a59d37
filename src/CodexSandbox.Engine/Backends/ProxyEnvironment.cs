namespace CodexSandbox.Engine.Backends;

/// <summary>The variables that point ordinary tools at the loopback allowlist proxy.</summary>
public static class ProxyEnvironment
{
    public const string NoProxy = "localhost,127.0.0.1,::1";

    public static IReadOnlyList<KeyValuePair<string, string>> For(int port)
    {
        var url = $"http://127.0.0.1:{port}";
        return
        [
            new("HTTP_PROXY", url), new("HTTPS_PROXY", url), new("ALL_PROXY", url),
            new("http_proxy", url), new("https_proxy", url), new("all_proxy", url),
            new("NO_PROXY", NoProxy), new("no_proxy", NoProxy),
        ];
    }
}
