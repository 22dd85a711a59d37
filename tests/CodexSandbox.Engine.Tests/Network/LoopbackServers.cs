using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodexSandbox.Engine.Tests.Network;

/// <summary>
/// A tiny keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request with what it received, so a test can see
/// exactly what the proxy forwarded. It keeps connections alive unless the request asks to close, as real servers do.
/// </summary>
internal sealed class MiniHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MiniHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    /// <summary>Every request head received (request line and headers), in order.</summary>
    public ConcurrentQueue<string> Heads { get; } = new();
    public int Connections;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient c;
            try { c = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref Connections);
            _ = Task.Run(() => ServeAsync(c));
        }
    }

    private async Task ServeAsync(TcpClient c)
    {
        using var _ = c;
        var s = c.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                int end;
                while ((end = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
                {
                    var n = await s.ReadAsync(chunk, _stop.Token);
                    if (n == 0) return;
                    buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                }
                var head = Encoding.Latin1.GetString(buffer.GetRange(0, end).ToArray());
                buffer.RemoveRange(0, end + 4);
                Heads.Enqueue(head);
                var length = 0;
                foreach (var line in head.Split("\r\n").Skip(1))
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim());
                while (buffer.Count < length)
                {
                    var n = await s.ReadAsync(chunk, _stop.Token);
                    if (n == 0) return;
                    buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                }
                var body = Encoding.UTF8.GetString(buffer.GetRange(0, length).ToArray());
                buffer.RemoveRange(0, length);
                var text = $"line={head.Split("\r\n")[0]}\nbody={body}\n";
                var bytes = Encoding.UTF8.GetBytes(text);
                var response = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {bytes.Length}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\n\r\n";
                await s.WriteAsync(Encoding.Latin1.GetBytes(response).Concat(bytes).ToArray(), _stop.Token);
                // Like real servers, close after the response when the request said so (RFC 9112 §9.6).
                if (head.Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase)) return;
            }
        }
        catch (Exception) { }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var ok = true;
            for (var j = 0; j < needle.Length && ok; j++) ok = haystack[i + j] == needle[j];
            if (ok) return i;
        }
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
    }
}

/// <summary>A TCP server on 127.0.0.1 (or ::1) that sends every byte back.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public EchoServer(IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient c;
                try { c = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    using var _ = c;
                    try { await c.GetStream().CopyToAsync(c.GetStream(), _stop.Token); }
                    catch (Exception) { }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
    }
}

/// <summary>An injectable resolver with fixed answers that counts look-ups; unknown names fail like NXDOMAIN.</summary>
internal sealed class FakeResolver
{
    private readonly Dictionary<string, IPAddress[]> _answers = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentQueue<string> Lookups { get; } = new();

    public FakeResolver Add(string name, params string[] addresses)
    {
        _answers[name] = addresses.Select(IPAddress.Parse).ToArray();
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        Lookups.Enqueue(host);
        return _answers.TryGetValue(host, out var a) ? Task.FromResult(a) : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}

/// <summary>Raw client helpers: exact bytes on the wire, so tests see what a client sees.</summary>
internal static class RawClient
{
    public static async Task<Socket> ConnectAsync(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    /// <summary>Sends a request and reads until the proxy closes the connection (or 10 s pass).</summary>
    public static async Task<string> ExchangeAsync(int port, string request)
    {
        using var s = await ConnectAsync(port);
        await s.SendAsync(Encoding.Latin1.GetBytes(request));
        return await ReadToEndAsync(s);
    }

    public static async Task<string> ReadToEndAsync(Socket s)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var all = new MemoryStream();
        var buf = new byte[4096];
        while (true)
        {
            int n;
            try { n = await s.ReceiveAsync(buf, SocketFlags.None, cts.Token); }
            catch (SocketException) { break; }
            if (n == 0) break;
            all.Write(buf, 0, n);
        }
        return Encoding.UTF8.GetString(all.ToArray());
    }

    /// <summary>Reads up to the end of an HTTP head (for CONNECT replies, after which the tunnel stays open).</summary>
    public static async Task<string> ReadHeadAsync(Socket s)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var all = new List<byte>();
        var one = new byte[1];
        while (!(all.Count >= 4 && all[^4] == '\r' && all[^3] == '\n' && all[^2] == '\r' && all[^1] == '\n'))
        {
            var n = await s.ReceiveAsync(one, SocketFlags.None, cts.Token);
            if (n == 0) break;
            all.Add(one[0]);
        }
        return Encoding.Latin1.GetString(all.ToArray());
    }

    public static async Task<byte[]> ReceiveExactlyAsync(Socket s, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buf = new byte[count];
        var got = 0;
        while (got < count)
        {
            var n = await s.ReceiveAsync(buf.AsMemory(got), SocketFlags.None, cts.Token);
            if (n == 0) throw new EndOfStreamException($"closed after {got} of {count} bytes");
            got += n;
        }
        return buf;
    }
}
