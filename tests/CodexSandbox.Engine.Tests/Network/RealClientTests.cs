using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

/// <summary>Real clients through the proxy: HTTPS over CONNECT with .NET, and curl driven only by the proxy environment.</summary>
public class RealClientTests
{
    [Fact]
    public async Task HttpsThroughConnectSeesTheServersOwnCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=tls.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serverTask = Task.Run(async () =>
        {
            using var c = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(c.GetStream());
            await tls.AuthenticateAsServerAsync(cert);
            var buf = new byte[4096];
            var head = "";
            while (!head.Contains("\r\n\r\n"))
            {
                var n = await tls.ReadAsync(buf);
                if (n == 0) break;
                head += Encoding.ASCII.GetString(buf, 0, n);
            }
            var body = "secure " + head.Split("\r\n")[0];
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
        });

        var (proxy, decisions) = await ProxyFixture.StartAsync(new FakeResolver().Add("tls.test", "127.0.0.1"), ["tls.test"]);
        await using var _ = proxy;
        string? seen = null;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            Proxy = new WebProxy($"http://127.0.0.1:{proxy.HttpPort}"),
            UseProxy = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, c, _, _) => { seen = c?.GetCertHashString(); return true; },
            },
        });
        var text = await client.GetStringAsync($"https://tls.test:{port}/private");
        await serverTask;
        listener.Stop();

        Assert.Equal("secure GET /private HTTP/1.1", text);
        Assert.Equal(cert.GetCertHashString(), seen); // no interception: the client saw the origin's certificate
        Assert.Equal("connect", Assert.Single(decisions).Protocol);
    }

    [Fact]
    public async Task CurlUsesTheProxyEnvironmentForHttpAndSocks()
    {
        await using var server = new MiniHttpServer();
        var resolver = new FakeResolver().Add("svc.test", "127.0.0.1").Add("other.test", "127.0.0.1");
        var (proxy, decisions) = await ProxyFixture.StartAsync(resolver, ["svc.test"]);
        await using var _ = proxy;
        var env = ProxyEnvironment.Build(proxy);

        // svc.test exists only in the proxy's resolver, so an answer proves curl went through the proxy.
        var (code, output) = await CurlAsync(env, $"http://svc.test:{server.Port}/env");
        Assert.Equal(0, code);
        Assert.EndsWith("\n200", output);
        Assert.Contains("line=GET /env HTTP/1.1", output);

        (code, output) = await CurlAsync(env, $"http://other.test:{server.Port}/", "-i");
        Assert.EndsWith("\n403", output);
        Assert.Contains("X-Proxy-Error: blocked-by-allowlist", output);

        (code, output) = await CurlAsync(env, $"http://svc.test:{server.Port}/socks", "--proxy", env["ALL_PROXY"]);
        Assert.Contains("line=GET /socks HTTP/1.1", output);
        Assert.Equal(["http", "http", "socks5"], decisions.Select(d => d.Protocol));
    }

    private static async Task<(int Code, string Output)> CurlAsync(IReadOnlyDictionary<string, string> env, string url, params string[] extra)
    {
        var psi = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in psi.Environment.Keys.Where(k => k.Contains("proxy", StringComparison.OrdinalIgnoreCase)).ToList()) psi.Environment.Remove(name);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        foreach (var a in new[] { "-sS", "--max-time", "10", "-w", "\n%{http_code}" }.Concat(extra).Append(url)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, (await stdout) + (await stderr));
    }
}
