using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Export.Syslog;

/// <summary>
/// A TCP (optionally TLS) connection to a syslog receiver. Plain syslog over TCP has no acknowledgements, so a write
/// succeeds even when the receiver has died; this class tells whether the receiver really got what was written:
/// <see cref="Confirm"/> waits until the peer's TCP has acknowledged every byte (Linux: the SIOCOUTQ queue is empty),
/// then lets a short settle time pass and checks the peer has neither closed nor reset the connection. A receiver that
/// dies with our data unread resets the connection, which the background read sees.
/// </summary>
internal sealed class SyslogConnection : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);
    private readonly Socket _socket;
    private readonly Task _reader;
    private volatile string? _closed;

    private SyslogConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        Stream = stream;
        // The receiver never talks in RFC 6587; anything read is the end of the connection (0 bytes, a reset, a TLS close).
        _reader = Task.Run(async () =>
        {
            var buffer = new byte[256];
            try
            {
                while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0) { }
                _closed = "the receiver closed the connection";
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { _closed = "the connection was reset: " + e.Message; }
        });
    }

    public Stream Stream { get; }

    /// <summary>Null while the connection is open; otherwise why it is not.</summary>
    public string? Closed => _closed;

    public static SyslogConnection Open(SyslogSinkSettings sink, TimeSpan timeout)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = (int)timeout.TotalMilliseconds };
        try
        {
            using (var cancel = new CancellationTokenSource(timeout))
                socket.ConnectAsync(sink.Host, sink.Port, cancel.Token).AsTask().GetAwaiter().GetResult();
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (sink.Transport == SyslogTransport.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = sink.ServerName ?? sink.Host,
                    RemoteCertificateValidationCallback = TlsTrust.Validator(sink.Tls.CaCertificate),
                };
                if (TlsTrust.ClientCertificate(sink.Tls) is { } client) options.ClientCertificates = [client];
                using var cancel = new CancellationTokenSource(timeout);
                ssl.AuthenticateAsClientAsync(options, cancel.Token).GetAwaiter().GetResult();
                stream = ssl;
            }
            return new SyslogConnection(socket, stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True when the peer acknowledged everything written and is still connected after the settle time.</summary>
    public bool Confirm(TimeSpan timeout, out string? problem)
    {
        var clock = Stopwatch.StartNew();
        while (Unacknowledged() > 0)
        {
            if (_closed is { } closed) { problem = closed; return false; }
            if (clock.Elapsed > timeout) { problem = $"the receiver did not acknowledge the data within {timeout.TotalSeconds:0.#} s"; return false; }
            Thread.Sleep(2);
        }
        _reader.Wait(Settle);
        problem = _closed;
        return problem is null;
    }

    // Bytes written but not yet acknowledged by the peer's TCP (Linux SIOCOUTQ); 0 where it cannot be asked.
    private int Unacknowledged()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return Ioctl((int)_socket.Handle, SIOCOUTQ, out var queued) == 0 ? queued : 0;
    }

    private const ulong SIOCOUTQ = 0x5411;

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int fd, ulong request, out int value);

    public void Dispose()
    {
        try { Stream.Dispose(); } catch (IOException) { }
        _socket.Dispose();
    }
}
