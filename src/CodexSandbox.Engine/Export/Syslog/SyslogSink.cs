using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CodexSandbox.Engine.Export.Syslog;

/// <summary>
/// Syslog over UDP (RFC 5426: one message per datagram; nothing confirms delivery, so this transport is lossy), or
/// over TCP / TLS with RFC 6587 octet counting (<c>LEN SP MSG</c>), where a batch counts as delivered only once the
/// connection confirms it (<see cref="SyslogConnection.Confirm"/>).
/// </summary>
internal sealed class SyslogSink(SyslogSinkSettings settings) : IAuditSink
{
    private Socket? _udp;
    private SyslogConnection? _tcp;

    public SendResult Send(IReadOnlyList<AuditRecord> records, TimeSpan timeout)
    {
        try
        {
            return settings.Transport == SyslogTransport.Udp ? SendUdp(records, timeout) : SendStream(records, timeout);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException
                                       or System.Security.Cryptography.CryptographicException)
        {
            Close();
            return SendResult.Failed(Describe(e));
        }
    }

    private SendResult SendUdp(IReadOnlyList<AuditRecord> records, TimeSpan timeout)
    {
        if (_udp is null)
        {
            _udp = new Socket(SocketType.Dgram, ProtocolType.Udp) { SendTimeout = (int)timeout.TotalMilliseconds };
            _udp.Connect(settings.Host, settings.Port);
        }
        for (var i = 0; i < records.Count; i++)
        {
            try { _udp.Send(Rfc5424Formatter.Format(records[i], settings)); }
            // A connected UDP socket reports an earlier ICMP "port unreachable" on a later send: nobody is listening.
            catch (SocketException e) { Close(); return SendResult.Failed(Describe(e), i); }
        }
        return SendResult.All(records.Count);
    }

    private SendResult SendStream(IReadOnlyList<AuditRecord> records, TimeSpan timeout)
    {
        // A connection the receiver closed since the last batch is replaced before anything is written to it.
        if (_tcp?.Closed is not null) Close();
        _tcp ??= SyslogConnection.Open(settings, timeout);
        using var frames = new MemoryStream();
        foreach (var record in records)
        {
            var message = Rfc5424Formatter.Format(record, settings);
            frames.Write(Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " "));
            frames.Write(message);
        }
        _tcp.Stream.Write(frames.GetBuffer(), 0, (int)frames.Length);
        _tcp.Stream.Flush();
        if (_tcp.Confirm(timeout, out var problem)) return SendResult.All(records.Count);
        Close();
        return SendResult.Failed(problem ?? "the connection was lost");
    }

    internal static string Describe(Exception e) => e switch
    {
        SocketException s => $"{s.SocketErrorCode}: {s.Message}",
        OperationCanceledException => "timed out",
        System.Security.Authentication.AuthenticationException a => "TLS: " + (a.InnerException?.Message ?? a.Message),
        _ => e.Message,
    };

    private void Close()
    {
        _udp?.Dispose();
        _udp = null;
        _tcp?.Dispose();
        _tcp = null;
    }

    public void Dispose() => Close();
}
