using System.Net;
using System.Net.Sockets;

namespace CodexSandbox.Engine.Network;

/// <summary>
/// Carries an <c>allowed_ports</c> port across the allowlist bridge: a sandbox in a private network namespace reaches
/// 127.0.0.1:port inside, the launcher's relay hands each connection to this unix socket, and this forwards it to
/// 127.0.0.1:port of the host, as a direct connect from the shared namespace would have reached.
/// </summary>
public sealed class PortForwarder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private PortForwarder(Socket listener, string socketPath, int port)
    {
        _listener = listener;
        SocketPath = socketPath;
        Port = port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }
    public int Port { get; }

    /// <summary>Listens on <paramref name="socketPath"/> (created with the owner's rights only) and forwards to 127.0.0.1:<paramref name="port"/>.</summary>
    public static PortForwarder Start(string socketPath, int port)
    {
        if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(port));
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new PortForwarder(listener, socketPath, port);
    }

    private async Task AcceptLoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(ct).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            _ = Task.Run(() => ServeAsync(client, ct), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        using (client)
        using (var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), ct).ConfigureAwait(false);
                await Task.WhenAll(PumpAsync(client, upstream, ct), PumpAsync(upstream, client, ct)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // the peer went away or the run ended: this connection is over
            }
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                try { to.Shutdown(SocketShutdown.Send); } catch (SocketException) { }
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        try { File.Delete(SocketPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _stop.Dispose();
    }
}
