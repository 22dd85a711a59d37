using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CodexSandbox.Engine.Export.Syslog;

/// <summary>
/// RELP, the Reliable Event Logging Protocol of rsyslog's imrelp: every message is a numbered transaction the receiver
/// answers with <c>rsp 200 OK</c>, so a record counts as delivered only when its answer came back. Frames are
/// <c>TXNR SP COMMAND SP DATALEN [SP DATA] LF</c>; a session is <c>open</c> (offers), <c>syslog</c> messages and <c>close</c>.
/// Messages are sent in windows of <see cref="Window"/> before their answers are read.
/// </summary>
internal sealed class RelpSink(SyslogSinkSettings settings) : IAuditSink
{
    private const int Window = 128;
    private const string Offers = "relp_version=0\nrelp_software=codex-sandbox\ncommands=syslog";

    private Socket? _socket;
    private NetworkStream? _stream;
    private RelpReader? _reader;
    private int _txnr;

    public SendResult Send(IReadOnlyList<AuditRecord> records, TimeSpan timeout)
    {
        var delivered = 0;
        bool[] answered = [];
        try
        {
            if (_stream is null) Open(timeout);
            while (delivered < records.Count)
            {
                var window = records.Skip(delivered).Take(Window).ToList();
                var first = _txnr + 1;
                using (var frames = new MemoryStream())
                {
                    foreach (var record in window) WriteFrame(frames, Next(), "syslog", Rfc5424Formatter.Format(record, settings));
                    _stream!.Write(frames.GetBuffer(), 0, (int)frames.Length);
                }
                answered = new bool[window.Count];
                string? refused = null;
                for (var i = 0; i < window.Count; i++)
                {
                    var frame = _reader!.Read();
                    if (frame.Command == "serverclose") throw new RelpException("the receiver closed the session (serverclose)");
                    if (frame.Command != "rsp") throw new RelpException($"unexpected command '{frame.Command}'");
                    var index = frame.Txnr - first;
                    if (index < 0 || index >= window.Count) throw new RelpException($"an answer for transaction {frame.Txnr}, which was not sent");
                    if (frame.Data.StartsWith("200", StringComparison.Ordinal)) answered[index] = true;
                    else refused ??= $"the receiver refused transaction {frame.Txnr}: {frame.Data.Split('\n')[0]}";
                }
                if (refused is not null) throw new RelpException(refused);
                delivered += window.Count;
                answered = [];
            }
            return SendResult.All(records.Count);
        }
        catch (Exception e) when (e is SocketException or IOException or RelpException or OperationCanceledException)
        {
            // Answers may come in any order: a record counts when it and every record before it in the window got 200.
            delivered += answered.TakeWhile(ok => ok).Count();
            Close(graceful: false);
            return SendResult.Failed(e is RelpException ? "RELP: " + e.Message : SyslogSink.Describe(e), delivered);
        }
    }

    private void Open(TimeSpan timeout)
    {
        _socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true, SendTimeout = (int)timeout.TotalMilliseconds, ReceiveTimeout = (int)timeout.TotalMilliseconds,
        };
        using (var cancel = new CancellationTokenSource(timeout))
            _socket.ConnectAsync(settings.Host, settings.Port, cancel.Token).AsTask().GetAwaiter().GetResult();
        _stream = new NetworkStream(_socket, ownsSocket: false) { ReadTimeout = (int)timeout.TotalMilliseconds };
        _reader = new RelpReader(_stream);
        _txnr = 0;
        var open = Next();
        WriteFrame(_stream, open, "open", Encoding.ASCII.GetBytes(Offers));
        var answer = _reader.Read();
        if (answer.Command != "rsp" || answer.Txnr != open || !answer.Data.StartsWith("200", StringComparison.Ordinal))
            throw new RelpException($"the receiver did not accept the session: {answer.Command} {answer.Data.Split('\n')[0]}");
    }

    // Transaction numbers run 1..999999999 and wrap to 1.
    private int Next() => _txnr = _txnr >= 999_999_999 ? 1 : _txnr + 1;

    internal static void WriteFrame(Stream to, int txnr, string command, ReadOnlySpan<byte> data)
    {
        to.Write(Encoding.ASCII.GetBytes($"{txnr.ToString(CultureInfo.InvariantCulture)} {command} {data.Length.ToString(CultureInfo.InvariantCulture)}"));
        if (data.Length > 0)
        {
            to.WriteByte((byte)' ');
            to.Write(data);
        }
        to.WriteByte((byte)'\n');
    }

    private void Close(bool graceful)
    {
        if (graceful && _stream is not null && _reader is not null)
        {
            try
            {
                var close = Next();
                WriteFrame(_stream, close, "close", []);
                _reader.Read();
            }
            catch (Exception e) when (e is SocketException or IOException or RelpException) { }
        }
        _stream?.Dispose();
        _socket?.Dispose();
        _stream = null;
        _socket = null;
        _reader = null;
    }

    public void Dispose() => Close(graceful: true);
}
