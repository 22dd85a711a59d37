using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace CodexSandbox.Engine.Network;

/// <summary>
/// One client connection to the HTTP proxy. <c>CONNECT host:port</c> opens a byte tunnel (TLS passes through untouched);
/// any other method must use an absolute <c>http://</c> URI and is forwarded with the request line turned into origin
/// form. One request per client connection: both sides are told <c>Connection: close</c>, so a client cannot send a second
/// request for another host down a tunnel that was checked for the first. In limited mode the method is checked first
/// (<see cref="DomainPolicy.CheckMethod"/>) and tunnels are refused (<see cref="DomainPolicy.CheckTunnel"/>).
/// </summary>
internal static class HttpProxySession
{
    private const int RelayBufferSize = 16 * 1024;

    // Hop-by-hop headers (RFC 9110 §7.6.1) and proxy credentials never go upstream.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
        { "Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Authenticate", "TE", "Upgrade", "Host" };

    public static async Task RunAsync(NetworkProxy proxy, Socket client, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(proxy.Options.MaxHeaderBytes);
        try { await RunAsync(proxy, client, buffer, ct).ConfigureAwait(false); }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    private static async Task RunAsync(NetworkProxy proxy, Socket client, byte[] buffer, CancellationToken ct)
    {
        var options = proxy.Options;
        int headLength, count;
        using (var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            headTimeout.CancelAfter(options.HeaderTimeout);
            try { (headLength, count) = await SocketIo.ReadHeadAsync(client, buffer, options.MaxHeaderBytes, 0, headTimeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await RespondAsync(client, 408, "Request Timeout", null, "The request head did not arrive in time.", ct).ConfigureAwait(false);
                return;
            }
        }
        if (headLength == 0) return;
        if (headLength < 0)
        {
            await RespondAsync(client, 431, "Request Header Fields Too Large", null, $"The request head is larger than {options.MaxHeaderBytes} bytes.", ct).ConfigureAwait(false);
            return;
        }

        if (!TryParseHead(Encoding.Latin1.GetString(buffer, 0, headLength - 4), out var method, out var target, out var version, out var headers))
        {
            await RespondAsync(client, 400, "Bad Request", null, "The request head is not valid HTTP/1.x.", ct).ConfigureAwait(false);
            return;
        }
        var leftover = buffer.AsMemory(headLength, count - headLength);
        if (HasConflictingFraming(headers))
        {
            await RespondAsync(client, 400, "Bad Request", null, "The request has both Content-Length and Transfer-Encoding, or several differing Content-Length headers.", ct).ConfigureAwait(false);
            return;
        }

        if (method == "CONNECT")
        {
            if (!TrySplitAuthority(target, requirePort: true, out var host, out var port))
            {
                await RespondAsync(client, 400, "Bad Request", null, "CONNECT needs a host:port target.", ct).ConfigureAwait(false);
                return;
            }
            var outcome = await proxy.OpenAsync(host, port, "connect", ct).ConfigureAwait(false);
            if (await RefuseAsync(client, outcome, ct).ConfigureAwait(false)) return;
            using var upstream = outcome.Upstream!;
            await SocketIo.SendAllAsync(client, "HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
            if (!leftover.IsEmpty) await SocketIo.SendAllAsync(upstream, leftover, ct).ConfigureAwait(false);
            await SocketIo.RelayAsync(client, upstream, options.IdleTimeout, RelayBufferSize, ct).ConfigureAwait(false);
            return;
        }

        if (!TrySplitAbsoluteUri(target, out var uriHost, out var uriPort, out var authority, out var pathAndQuery, out var problem))
        {
            await RespondAsync(client, 400, "Bad Request", null, problem, ct).ConfigureAwait(false);
            return;
        }
        if (proxy.Policy.CheckMethod(method, WantsUpgrade(headers) is not null) is { } refused)
        {
            proxy.Report(HostName.Normalize(uriHost) ?? uriHost, uriPort, "http", refused, null);
            await RefuseAsync(client, new ConnectOutcome { Blocked = refused }, ct).ConfigureAwait(false);
            return;
        }
        var forward = await proxy.OpenAsync(uriHost, uriPort, "http", ct).ConfigureAwait(false);
        if (await RefuseAsync(client, forward, ct).ConfigureAwait(false)) return;
        using var server = forward.Upstream!;

        var upgrade = WantsUpgrade(headers);
        var head = new StringBuilder(headLength + 64);
        head.Append(method).Append(' ').Append(pathAndQuery).Append(' ').Append(version).Append("\r\n");
        head.Append("Host: ").Append(authority).Append("\r\n");
        var named = ConnectionTokens(headers);
        foreach (var (name, value) in headers)
        {
            if (HopByHop.Contains(name) || named.Contains(name)) continue;
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        if (upgrade is not null) head.Append("Connection: Upgrade\r\nUpgrade: ").Append(upgrade).Append("\r\n");
        else head.Append("Connection: close\r\n");
        head.Append("\r\n");
        await SocketIo.SendAllAsync(server, Encoding.Latin1.GetBytes(head.ToString()), ct).ConfigureAwait(false);
        if (!leftover.IsEmpty) await SocketIo.SendAllAsync(server, leftover, ct).ConfigureAwait(false);

        // The request body (if any) flows while the response head is read and rewritten.
        using var relayStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var requestBody = SocketIo.RelayOneWayAsync(client, server, options.IdleTimeout, RelayBufferSize, relayStop.Token);
        try
        {
            if (!await ForwardResponseHeadAsync(server, client, options, ct).ConfigureAwait(false)) return;
            await SocketIo.RelayOneWayAsync(server, client, options.IdleTimeout, RelayBufferSize, ct).ConfigureAwait(false);
        }
        finally
        {
            relayStop.Cancel();
            await requestBody.ConfigureAwait(false);
        }
    }

    /// <summary>Copies response heads (every 1xx, then the final one) with <c>Connection: close</c> put in; false when none came.</summary>
    private static async Task<bool> ForwardResponseHeadAsync(Socket server, Socket client, NetworkProxyOptions options, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxHeaderBytes);
        try { return await ForwardResponseHeadAsync(server, client, options, buffer, ct).ConfigureAwait(false); }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    private static async Task<bool> ForwardResponseHeadAsync(Socket server, Socket client, NetworkProxyOptions options, byte[] buffer, CancellationToken ct)
    {
        var count = 0;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(options.IdleTimeout);
        while (true)
        {
            var (headLength, held) = await SocketIo.ReadHeadAsync(server, buffer, options.MaxHeaderBytes, count, idle.Token).ConfigureAwait(false);
            if (headLength <= 0)
            {
                if (held == 0) await RespondAsync(client, 502, "Bad Gateway", null, "The upstream server closed the connection without a response.", ct).ConfigureAwait(false);
                else await RespondAsync(client, 502, "Bad Gateway", null, "The upstream response head is too large or incomplete.", ct).ConfigureAwait(false);
                return false;
            }
            var text = Encoding.Latin1.GetString(buffer, 0, headLength - 4);
            var lines = text.Split("\r\n");
            var status = lines[0].Split(' ', 3);
            if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(status[1], out var code))
            {
                await RespondAsync(client, 502, "Bad Gateway", null, "The upstream response is not HTTP/1.x.", ct).ConfigureAwait(false);
                return false;
            }
            string outHead;
            if (code == 101 || (code >= 100 && code < 200)) outHead = text + "\r\n\r\n";
            else
            {
                var sb = new StringBuilder(text.Length + 32).Append(lines[0]).Append("\r\n");
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':');
                    var name = colon > 0 ? line[..colon].Trim() : "";
                    if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
                        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)) continue;
                    sb.Append(line).Append("\r\n");
                }
                outHead = sb.Append("Connection: close\r\n\r\n").ToString();
            }
            await SocketIo.SendAllAsync(client, Encoding.Latin1.GetBytes(outHead), ct).ConfigureAwait(false);
            var rest = held - headLength;
            if (code >= 200 || code == 101)
            {
                if (rest > 0) await SocketIo.SendAllAsync(client, buffer.AsMemory(headLength, rest), ct).ConfigureAwait(false);
                return true;
            }
            // An interim response: keep what followed it and read the next head.
            Buffer.BlockCopy(buffer, headLength, buffer, 0, rest);
            count = rest;
        }
    }

    /// <summary>Answers a refused or failed request; true when it did (the session is over).</summary>
    private static async Task<bool> RefuseAsync(Socket client, ConnectOutcome outcome, CancellationToken ct)
    {
        if (outcome.Upstream is not null) return false;
        if (outcome.Blocked is { } v)
        {
            if (v.Reason == ProxyReasons.InvalidHost)
                await RespondAsync(client, 400, "Bad Request", v.Reason, v.Message, ct).ConfigureAwait(false);
            else
                await RespondAsync(client, 403, "Forbidden", v.Reason, $"Blocked by the CodexSandbox network policy ({v.Reason}): {v.Message}.", ct).ConfigureAwait(false);
        }
        else if (outcome.TimedOut) await RespondAsync(client, 504, "Gateway Timeout", null, outcome.Failure!, ct).ConfigureAwait(false);
        else await RespondAsync(client, 502, "Bad Gateway", null, outcome.Failure!, ct).ConfigureAwait(false);
        return true;
    }

    private static async Task RespondAsync(Socket client, int code, string phrase, string? proxyError, string body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(body + "\n");
        var head = $"HTTP/1.1 {code} {phrase}\r\n" +
                   (proxyError is null ? "" : $"X-Proxy-Error: {proxyError}\r\n") +
                   $"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        try
        {
            await SocketIo.SendAllAsync(client, Encoding.Latin1.GetBytes(head).Concat(bytes).ToArray(), ct).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException) { }
    }

    internal static bool TryParseHead(string head, out string method, out string target, out string version, out List<(string Name, string Value)> headers)
    {
        method = target = version = "";
        headers = [];
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        if (parts[2] is not ("HTTP/1.1" or "HTTP/1.0")) return false;
        if (!parts[0].All(c => char.IsAsciiLetterUpper(c) || c == '-')) return false;
        method = parts[0];
        target = parts[1];
        version = parts[2];
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            // Folded lines and names with spaces are refused: ambiguity between proxy and server is how smuggling starts.
            if (colon <= 0 || line[0] is ' ' or '\t' || line[..colon].Any(c => c <= ' ' || c >= 127)) return false;
            if (line.Contains('\n') || line.Contains('\r')) return false;
            headers.Add((line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }
        return true;
    }

    /// <summary>Splits <c>host:port</c> or <c>[v6]:port</c>; the port defaults to 80 unless required.</summary>
    internal static bool TrySplitAuthority(string authority, bool requirePort, out string host, out int port)
    {
        host = "";
        port = 80;
        if (authority.Length == 0 || authority.Contains('@')) return false;
        string? portText = null;
        if (authority[0] == '[')
        {
            var close = authority.IndexOf(']');
            if (close < 0) return false;
            host = authority[..(close + 1)];
            var rest = authority[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') return false;
                portText = rest[1..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                if (authority.IndexOf(':') != colon) return false; // an IPv6 literal must be bracketed
                host = authority[..colon];
                portText = authority[(colon + 1)..];
            }
            else host = authority;
        }
        if (portText is null) return !requirePort && host.Length > 0;
        if (portText.Length is 0 or > 5 || !portText.All(char.IsAsciiDigit)) return false;
        port = int.Parse(portText, System.Globalization.CultureInfo.InvariantCulture);
        return host.Length > 0 && port is >= 1 and <= 65535;
    }

    internal static bool TrySplitAbsoluteUri(string target, out string host, out int port, out string authority, out string pathAndQuery, out string problem)
    {
        host = authority = pathAndQuery = "";
        port = 80;
        problem = "";
        const string scheme = "http://";
        if (!target.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            problem = target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? "This proxy does not fetch https:// URIs; send CONNECT host:443 and speak TLS through the tunnel."
                : "This is a proxy: the request target must be an absolute http:// URI (or use CONNECT).";
            return false;
        }
        var rest = target[scheme.Length..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        authority = end < 0 ? rest : rest[..end];
        var tail = end < 0 ? "" : rest[end..];
        var hash = tail.IndexOf('#');
        if (hash >= 0) tail = tail[..hash];
        pathAndQuery = tail.Length == 0 ? "/" : tail[0] == '?' ? "/" + tail : tail;
        if (!TrySplitAuthority(authority, requirePort: false, out host, out port))
        {
            problem = $"The URI authority '{NetworkProxy.Truncate(authority)}' is not host[:port].";
            return false;
        }
        return true;
    }

    private static bool HasConflictingFraming(List<(string Name, string Value)> headers)
    {
        var lengths = headers.Where(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).Distinct().Count();
        var chunked = headers.Any(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
        return lengths > 1 || (lengths == 1 && chunked);
    }

    private static string? WantsUpgrade(List<(string Name, string Value)> headers)
    {
        var upgrade = headers.FirstOrDefault(h => h.Name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)).Value;
        return upgrade is not null && ConnectionTokens(headers).Contains("Upgrade") ? upgrade : null;
    }

    private static HashSet<string> ConnectionTokens(List<(string Name, string Value)> headers)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && !name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) set.Add(token);
        }
        return set;
    }
}
