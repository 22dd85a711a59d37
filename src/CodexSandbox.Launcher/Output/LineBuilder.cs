using CodexSandbox.Launcher.Native;

namespace CodexSandbox.Launcher.Output;

/// <summary>Assembles one output line in caller-provided (stack) memory and writes it with a single
/// write(2), so it works after RLIMIT_AS and never interleaves with the child's output.</summary>
internal unsafe ref struct LineBuilder
{
    private readonly Span<byte> _buffer;
    private int _length;

    public LineBuilder(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    /// <summary>The line so far, without the newline.</summary>
    public readonly ReadOnlySpan<byte> Text => _buffer[.._length];

    public LineBuilder Append(scoped ReadOnlySpan<byte> text)
    {
        // Leave room for the newline; a message that does not fit is cut, never overflowed.
        int room = _buffer.Length - 1 - _length;
        if (text.Length > room) text = text[..room];
        text.CopyTo(_buffer[_length..]);
        _length += text.Length;
        return this;
    }

    public LineBuilder Append(byte* cString)
    {
        if (cString == null) return this;
        return Append(new ReadOnlySpan<byte>(cString, Strlen(cString)));
    }

    public LineBuilder Append(long value)
    {
        Span<byte> digits = stackalloc byte[24];
        int pos = digits.Length;
        bool negative = value < 0;
        ulong magnitude = negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        do { digits[--pos] = (byte)('0' + (int)(magnitude % 10)); magnitude /= 10; } while (magnitude != 0);
        if (negative) digits[--pos] = (byte)'-';
        return Append(digits[pos..]);
    }

    public LineBuilder AppendErrno(int errno) => Append(Libc.strerror(errno));

    public void WriteLineTo(int fd)
    {
        _buffer[_length++] = (byte)'\n';
        fixed (byte* p = _buffer)
        {
            int done = 0;
            while (done < _length)
            {
                nint n = Libc.write(fd, p + done, _length - done);
                if (n <= 0) return;
                done += (int)n;
            }
        }
    }

    public static int Strlen(byte* s)
    {
        int n = 0;
        while (s[n] != 0) n++;
        return n;
    }
}
