using System.Globalization;
using System.Text;

namespace CodexSandbox.Engine.Export.Syslog;

/// <summary>Reads RELP frames (<c>TXNR SP COMMAND SP DATALEN [SP DATA] LF</c>) from a stream; the stream's read timeout bounds each read.</summary>
internal sealed class RelpReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[8192];
    private int _start, _end;

    public RelpFrame Read()
    {
        var txnr = int.Parse(Token(), NumberStyles.None, CultureInfo.InvariantCulture);
        var command = Token();
        var lengthText = Token(endsAtNewline: true, out var newlineSeen);
        var length = int.Parse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture);
        var data = "";
        if (length > 0)
        {
            if (newlineSeen) throw new RelpException("a frame announced data but ended");
            var bytes = new byte[length];
            for (var got = 0; got < length;)
            {
                if (_start == _end) Fill();
                var n = Math.Min(length - got, _end - _start);
                Array.Copy(_buffer, _start, bytes, got, n);
                _start += n;
                got += n;
            }
            data = Encoding.UTF8.GetString(bytes);
            if (Byte() != (byte)'\n') throw new RelpException("a frame does not end with a newline");
        }
        else if (!newlineSeen && Byte() != (byte)'\n') throw new RelpException("a frame does not end with a newline");
        return new RelpFrame(txnr, command, data);
    }

    private string Token() => Token(endsAtNewline: false, out _);

    // Up to the next space (or, for DATALEN, a newline when there is no data).
    private string Token(bool endsAtNewline, out bool newline)
    {
        var text = new StringBuilder();
        newline = false;
        while (true)
        {
            var b = Byte();
            if (b == (byte)' ') break;
            if (b == (byte)'\n' && endsAtNewline) { newline = true; break; }
            if (b is < 0x21 or > 0x7e || text.Length > 32) throw new RelpException("not a RELP frame header");
            text.Append((char)b);
        }
        if (text.Length == 0) throw new RelpException("an empty RELP header field");
        return text.ToString();
    }

    private byte Byte()
    {
        if (_start == _end) Fill();
        return _buffer[_start++];
    }

    private void Fill()
    {
        _start = 0;
        _end = stream.Read(_buffer, 0, _buffer.Length);
        if (_end == 0) throw new IOException("the receiver closed the connection");
    }
}
