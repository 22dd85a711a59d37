using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Cli;

/// <summary>A failure found before any restriction is applied (bad arguments, missing paths, kernel
/// support); Main prints it as one line, reports <see cref="Kind"/> in the status record and exits with
/// <see cref="ExitCode"/>.</summary>
/// <remarks>Only thrown before the limits: after RLIMIT_AS nothing may allocate.</remarks>
internal sealed class LauncherException(LaunchErrorKind kind, byte[] message) : Exception
{
    public LaunchErrorKind Kind { get; } = kind;

    public int ExitCode => LauncherExitCode.For(Kind);

    /// <summary>UTF-8 text of the message, without the program prefix.</summary>
    public byte[] Utf8Message { get; } = message;

    public static LauncherException Usage(string message) => Failure(LaunchErrorKind.Usage, message);

    public static LauncherException Usage(ReadOnlySpan<byte> subject, string message) => Failure(LaunchErrorKind.Usage, subject, message);

    public static LauncherException Failure(LaunchErrorKind kind, string message) =>
        new(kind, System.Text.Encoding.UTF8.GetBytes(message));

    /// <summary>"&lt;subject&gt;: &lt;message&gt;".</summary>
    public static LauncherException Failure(LaunchErrorKind kind, ReadOnlySpan<byte> subject, string message)
    {
        var text = new byte[subject.Length + 2 + System.Text.Encoding.UTF8.GetByteCount(message)];
        subject.CopyTo(text);
        text[subject.Length] = (byte)':';
        text[subject.Length + 1] = (byte)' ';
        System.Text.Encoding.UTF8.GetBytes(message, text.AsSpan(subject.Length + 2));
        return new(kind, text);
    }

    /// <summary>"&lt;subject&gt;: &lt;strerror(errno)&gt;".</summary>
    public static unsafe LauncherException FromErrno(LaunchErrorKind kind, ReadOnlySpan<byte> subject, int errno)
    {
        byte* reason = Native.Libc.strerror(errno);
        var detail = new ReadOnlySpan<byte>(reason, Output.LineBuilder.Strlen(reason));
        var text = new byte[subject.Length + 2 + detail.Length];
        subject.CopyTo(text);
        text[subject.Length] = (byte)':';
        text[subject.Length + 1] = (byte)' ';
        detail.CopyTo(text.AsSpan(subject.Length + 2));
        return new(kind, text);
    }
}
