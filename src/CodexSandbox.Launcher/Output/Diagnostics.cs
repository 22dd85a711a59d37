using CodexSandbox.Launcher.Native;

namespace CodexSandbox.Launcher.Output;

/// <summary>The launcher's own messages: exactly one line, prefixed with the program name, on stderr.</summary>
internal static unsafe class Diagnostics
{
    public const int StdOut = 1, StdErr = 2;

    public static ReadOnlySpan<byte> Prefix => "codex-linux-sandbox: "u8;

    public static void Error(scoped ReadOnlySpan<byte> message)
    {
        Span<byte> buf = stackalloc byte[2048];
        new LineBuilder(buf).Append(Prefix).Append(message).WriteLineTo(StdErr);
    }

    public static void Error(scoped ReadOnlySpan<byte> subject, scoped ReadOnlySpan<byte> message)
    {
        Span<byte> buf = stackalloc byte[2048];
        new LineBuilder(buf).Append(Prefix).Append(subject).Append(": "u8).Append(message).WriteLineTo(StdErr);
    }

    /// <summary>"codex-linux-sandbox: &lt;what&gt;: &lt;strerror(errno)&gt;".</summary>
    public static void ErrorErrno(scoped ReadOnlySpan<byte> what, int errno)
    {
        Span<byte> buf = stackalloc byte[2048];
        new LineBuilder(buf).Append(Prefix).Append(what).Append(": "u8).AppendErrno(errno).WriteLineTo(StdErr);
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
