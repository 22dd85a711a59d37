using System.Net.Http.Headers;
using System.Net.Security;

namespace CodexSandbox.Engine.Export.Otlp;

/// <summary>
/// The HttpClient the official exporter sends with (its <c>HttpClientFactory</c>): our TLS settings (a CA file, a
/// client certificate) for HTTP and gRPC alike, and a record of the last failure, since the exporter itself reports
/// only "failure".
/// </summary>
internal sealed class OtlpHttpClient(OtlpSinkSettings settings, TimeSpan timeout) : IDisposable
{
    private readonly List<HttpClient> _clients = [];
    private volatile string? _lastError;

    public string? LastError => _lastError;

    public void ClearError() => _lastError = null;

    public HttpClient Create()
    {
        var ssl = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TlsTrust.Validator(settings.Tls.CaCertificate) };
        if (TlsTrust.ClientCertificate(settings.Tls) is { } client) ssl.ClientCertificates = [client];
        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
        };
        var http = new HttpClient(new Recorder(this, handler)) { Timeout = timeout };
        lock (_clients) _clients.Add(http);
        return http;
    }

    public void Dispose()
    {
        lock (_clients) foreach (var client in _clients) client.Dispose();
    }

    private sealed class Recorder(OtlpHttpClient owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return Check(base.Send(request, cancellationToken));
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                owner._lastError = Describe(e);
                throw;
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return Check(await base.SendAsync(request, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                owner._lastError = Describe(e);
                throw;
            }
        }

        private HttpResponseMessage Check(HttpResponseMessage response)
        {
            if (!response.IsSuccessStatusCode) owner._lastError = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            else if (GrpcStatus(response.Headers) is { } status and not "0") owner._lastError = $"gRPC status {status}";
            return response;
        }

        private static string? GrpcStatus(HttpResponseHeaders headers) =>
            headers.TryGetValues("grpc-status", out var values) ? values.FirstOrDefault() : null;

        private static string Describe(Exception e)
        {
            var inner = e;
            while (inner.InnerException is not null && inner is HttpRequestException) inner = inner.InnerException;
            return e is OperationCanceledException or TaskCanceledException ? "no answer in time"
                : inner is System.Security.Authentication.AuthenticationException ? "TLS: " + (inner.InnerException?.Message ?? inner.Message)
                : inner.Message;
        }
    }
}
