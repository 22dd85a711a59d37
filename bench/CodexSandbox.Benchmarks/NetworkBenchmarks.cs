using System.Net;
using BenchmarkDotNet.Attributes;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Benchmarks;

/// <summary>
/// What the allowlist proxy adds to one small GET on loopback. The proxy answers each request on a fresh connection
/// (it tells both sides <c>Connection: close</c>), so the fair baseline is a direct GET on a fresh connection; the
/// keep-alive direct GET shows the total cost a client sees. Goal: at most 1 ms added per request.
/// </summary>
[MemoryDiagnoser]
public class NetworkBenchmarks
{
    private NetworkBenchServer _server = null!;
    private NetworkProxy _proxy = null!;
    private HttpClient _direct = null!, _viaHttp = null!, _viaSocks = null!;
    private string _url = "";
    private string _literalUrl = "";
    private int _decisions;

    [GlobalSetup]
    public void Setup()
    {
        _server = new NetworkBenchServer();
        var settings = new NetworkPolicySettings { Mode = CodexSandbox.NetworkMode.Allowlist, AllowedDomains = ["bench.test", "127.0.0.1"] };
        var loopback = new[] { IPAddress.Loopback };
        var options = new NetworkProxyOptions { Resolver = (_, _) => Task.FromResult(loopback) };
        _proxy = NetworkProxy.StartAsync(settings, _ => Interlocked.Increment(ref _decisions), options).GetAwaiter().GetResult();
        _url = $"http://bench.test:{_server.Port}/";
        _literalUrl = $"http://127.0.0.1:{_server.Port}/";
        _direct = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        _viaHttp = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{_proxy.HttpPort}"), UseProxy = true });
        _viaSocks = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"socks5://127.0.0.1:{_proxy.SocksPort}"), UseProxy = true });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _direct.Dispose();
        _viaHttp.Dispose();
        _viaSocks.Dispose();
        _proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
    }

    [Benchmark(Description = "direct GET, keep-alive")]
    public Task<string> DirectKeepAlive() => _direct.GetStringAsync(_literalUrl);

    [Benchmark(Baseline = true, Description = "direct GET, new connection")]
    public async Task<string> DirectNewConnection()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _literalUrl);
        request.Headers.ConnectionClose = true;
        using var response = await _direct.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Benchmark(Description = "GET through the HTTP proxy")]
    public Task<string> ThroughHttpProxy() => _viaHttp.GetStringAsync(_url);

    [Benchmark(Description = "GET through SOCKS5, new tunnel")]
    public async Task<string> ThroughSocksProxy()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _url);
        request.Headers.ConnectionClose = true;
        using var response = await _viaSocks.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
