using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodexSandbox.Benchmarks;

/// <summary>A minimal keep-alive HTTP/1.1 server on 127.0.0.1 answering every GET with a fixed small body.</summary>
internal sealed class NetworkBenchServer : IDisposable
{
    private static readonly byte[] KeepAlive = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
    private static readonly byte[] Close = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nok");
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();

    public NetworkBenchServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket s;
            try { s = await _listener.AcceptAsync(_stop.Token); }
            catch (Exception) { return; }
            s.NoDelay = true;
            _ = Task.Run(() => ServeAsync(s));
        }
    }

    private async Task ServeAsync(Socket s)
    {
        using var _ = s;
        var buffer = new byte[8192];
        var held = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = buffer.AsSpan(0, held).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    var n = await s.ReceiveAsync(buffer.AsMemory(held), SocketFlags.None, _stop.Token);
                    if (n == 0) return;
                    held += n;
                }
                var close = buffer.AsSpan(0, end).IndexOf("Connection: close"u8) >= 0;
                Buffer.BlockCopy(buffer, end + 4, buffer, 0, held - end - 4);
                held -= end + 4;
                await s.SendAsync(close ? Close : KeepAlive, SocketFlags.None, _stop.Token);
                if (close) return;
            }
        }
        catch (Exception) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }
}
