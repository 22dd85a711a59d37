using System.Text;

namespace CodexSandbox.Engine.Execution;

/// <summary>Reads one stream as raw bytes: keeps up to the cap, counts everything, decodes UTF-8 with replacement.
/// Either it pumps its stream on a thread of its own (<see cref="Start"/>), or a caller that reads the bytes itself
/// hands them over (<see cref="Append"/>, then <see cref="Finish"/>).</summary>
internal sealed class OutputCapture(Stream stream, long cap, bool isError, Action<OutputLine>? onLine)
{
    private readonly MemoryStream _kept = new();
    private readonly Decoder _lineDecoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _line = new();
    private char[]? _chars;

    /// <summary>A capture fed with <see cref="Append"/>.</summary>
    public OutputCapture(long cap, bool isError, Action<OutputLine>? onLine) : this(Stream.Null, cap, isError, onLine) { }

    public long TotalBytes { get; private set; }
    public bool Truncated { get; private set; }
    // A reader still blocked in a grandchild's pipe after the run is given up may still write: Text takes the same lock.
    public string Text
    {
        get { lock (_kept) return Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length); }
    }

    public Task Start() => Task.Factory.StartNew(Pump, TaskCreationOptions.LongRunning);

    private void Pump()
    {
        var buffer = new byte[16 * 1024];
        int n;
        try
        {
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) Append(buffer.AsSpan(0, n));
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        Finish();
    }

    /// <summary>The next bytes of the stream.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_kept)
        {
            TotalBytes += bytes.Length;
            var room = (int)Math.Max(0, Math.Min(bytes.Length, cap - _kept.Length));
            if (room > 0) _kept.Write(bytes[..room]);
            if (room < bytes.Length) Truncated = true;
        }
        if (onLine is null) return;
        _chars ??= new char[Encoding.UTF8.GetMaxCharCount(16 * 1024)];
        for (int offset = 0; offset < bytes.Length; offset += 16 * 1024)
        {
            var part = bytes.Slice(offset, Math.Min(16 * 1024, bytes.Length - offset));
            EmitLines(_chars, _lineDecoder.GetChars(part, _chars, flush: false));
        }
    }

    /// <summary>The stream ended (or is given up): a last line without its newline is reported too.</summary>
    public void Finish()
    {
        if (onLine is not null && _line.Length > 0) onLine(new OutputLine(isError, _line.ToString()));
        _line.Clear();
    }

    private void EmitLines(char[] chars, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (chars[i] == '\n')
            {
                if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
                onLine!(new OutputLine(isError, _line.ToString()));
                _line.Clear();
            }
            else if (_line.Length < 1 << 20) _line.Append(chars[i]);
        }
    }

    /// <summary>The outcome of a run whose two streams these captures read.</summary>
    public static ProcessOutcome Outcome(OutputCapture stdout, OutputCapture stderr, int exitCode, bool timedOut, bool cancelled, DateTimeOffset start, TimeSpan duration) => new()
    {
        ExitCode = timedOut ? ProcessOutcome.TimeoutExitCode : exitCode,
        TimedOut = timedOut,
        Cancelled = cancelled,
        Stdout = stdout.Text,
        Stderr = stderr.Text,
        StdoutBytes = stdout.TotalBytes,
        StderrBytes = stderr.TotalBytes,
        StdoutTruncated = stdout.Truncated,
        StderrTruncated = stderr.Truncated,
        StartTime = start,
        Duration = duration,
    };
}
