using CodexSandbox.Launcher.Native;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Output;

/// <summary>Assembles a record (RecordFormat: "key=value" lines after "format=1") in caller-provided (stack)
/// memory and writes it with one write(2): no allocation, so it works after RLIMIT_AS, and a pipe reader never
/// sees half a record.</summary>
internal ref struct RecordWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public RecordWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
        Add(RecordFormat.VersionKey, RecordFormat.Version);
    }

    public void Add(string key, string value)
    {
        Key(key);
        foreach (char c in value) Byte((byte)c);
        End();
    }

    public void Add(string key, long value)
    {
        Span<byte> digits = stackalloc byte[24];
        int pos = digits.Length;
        bool negative = value < 0;
        ulong magnitude = negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        do { digits[--pos] = (byte)('0' + (int)(magnitude % 10)); magnitude /= 10; } while (magnitude != 0);
        if (negative) digits[--pos] = (byte)'-';
        Add(key, digits[pos..]);
    }

    public void Add(string key, ulong value)
    {
        Span<byte> digits = stackalloc byte[24];
        int pos = digits.Length;
        do { digits[--pos] = (byte)('0' + (int)(value % 10)); value /= 10; } while (value != 0);
        Add(key, digits[pos..]);
    }

    public void Add(string key, bool value) => Add(key, value ? RecordFormat.Yes : RecordFormat.No);

    /// <summary>A raw value (a message): a newline in it would start a new line, so it becomes a space.</summary>
    public void Add(string key, scoped ReadOnlySpan<byte> value)
    {
        Key(key);
        foreach (byte b in value) Byte(b is (byte)'\n' or (byte)'\r' ? (byte)' ' : b);
        End();
    }

    /// <summary><paramref name="prefix"/> followed by <paramref name="name"/> as the key.</summary>
    public void Add(string prefix, string name, ulong value)
    {
        Span<byte> digits = stackalloc byte[24];
        int pos = digits.Length;
        do { digits[--pos] = (byte)('0' + (int)(value % 10)); value /= 10; } while (value != 0);
        foreach (char c in prefix) Byte((byte)c);
        Key(name);
        foreach (byte b in digits[pos..]) Byte(b);
        End();
    }

    private void Key(string key)
    {
        foreach (char c in key) Byte((byte)c);
        Byte((byte)RecordFormat.Separator);
    }

    private void End() => Byte((byte)RecordFormat.LineEnd);

    // A record that does not fit is cut, never overflowed (the reader skips a last line without its newline).
    private void Byte(byte b)
    {
        if (_length < _buffer.Length) _buffer[_length++] = b;
    }

    /// <summary>Writes the record to <paramref name="fd"/>; false when it could not be written whole.</summary>
    public readonly unsafe bool WriteTo(int fd)
    {
        fixed (byte* p = _buffer)
        {
            int done = 0;
            while (done < _length)
            {
                nint n = Libc.write(fd, p + done, _length - done);
                if (n <= 0) return false;
                done += (int)n;
            }
        }
        return true;
    }
}
