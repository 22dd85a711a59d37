using CodexSandbox.Launcher.Native;

namespace CodexSandbox.Launcher.Output;

/// <summary>The launcher's own messages: exactly one line, prefixed with the program name, on stderr. The last
/// one is also kept (without the prefix) for the status record's message.</summary>
internal static unsafe class Diagnostics
{
    public const int StdOut = 1, StdErr = 2;
    private const int LastCapacity = 1024;

    // A struct without references is a non-GC static: it lives in the image's data, so keeping a message
    // allocates nothing, also after RLIMIT_AS.
    private struct LastLine
    {
        public fixed byte Text[LastCapacity];
        public int Length;
    }

    private static LastLine s_last;

    public static ReadOnlySpan<byte> Prefix => "codex-linux-sandbox: "u8;

    public static void Error(scoped ReadOnlySpan<byte> message)
    {
        Span<byte> buf = stackalloc byte[2048];
        Emit(new LineBuilder(buf).Append(Prefix).Append(message));
    }

    public static void Error(scoped ReadOnlySpan<byte> subject, scoped ReadOnlySpan<byte> message)
    {
        Span<byte> buf = stackalloc byte[2048];
        Emit(new LineBuilder(buf).Append(Prefix).Append(subject).Append(": "u8).Append(message));
    }

    /// <summary>"codex-linux-sandbox: &lt;what&gt;: &lt;strerror(errno)&gt;".</summary>
    public static void ErrorErrno(scoped ReadOnlySpan<byte> what, int errno)
    {
        Span<byte> buf = stackalloc byte[2048];
        Emit(new LineBuilder(buf).Append(Prefix).Append(what).Append(": "u8).AppendErrno(errno));
    }

    /// <summary>Prints the line and keeps it as the last message.</summary>
    public static void Emit(LineBuilder line)
    {
        ReadOnlySpan<byte> text = line.Text;
        if (text.StartsWith(Prefix)) text = text[Prefix.Length..];
        int length = Math.Min(text.Length, LastCapacity);
        fixed (byte* last = s_last.Text) text[..length].CopyTo(new Span<byte>(last, LastCapacity));
        s_last.Length = length;
        line.WriteLineTo(StdErr);
    }

    /// <summary>Adds the last message printed (empty if none) to <paramref name="record"/> as <paramref name="key"/>.</summary>
    public static void AddLastMessage(ref RecordWriter record, string key)
    {
        fixed (byte* last = s_last.Text) record.Add(key, new ReadOnlySpan<byte>(last, s_last.Length));
    }

    /// <summary>Writes all of <paramref name="text"/> to <paramref name="fd"/> as is.</summary>
    public static void WriteAll(int fd, ReadOnlySpan<byte> text)
    {
        fixed (byte* p = text)
        {
            int done = 0;
            while (done < text.Length)
            {
                nint n = Libc.write(fd, p + done, text.Length - done);
                if (n <= 0) return;
                done += (int)n;
            }
        }
    }
}
